package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.NlWriter;

/** A qdisc given by its kind alone, without options: {@code ingress}, {@code pfifo_fast}, {@code noqueue}... */
public final class GenericQdiscSpec extends QdiscSpec<GenericQdiscSpec> {

    GenericQdiscSpec(LinkRef link, String kind) {
        super(link, kind);
    }

    static String checkKind(String kind) {
        if (kind == null
                || kind.isEmpty()
                || kind.length() > 15
                || !kind.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new IllegalArgumentException("bad qdisc kind: \"" + kind + "\"");
        }
        return kind;
    }

    @Override
    void checkComplete() {
        if (kind() == null) {
            throw new IllegalArgumentException("QdiscSpec.root(dev) names a qdisc to delete; give a kind to add one");
        }
    }

    @Override
    void writeOptions(NlWriter w) {}
}
