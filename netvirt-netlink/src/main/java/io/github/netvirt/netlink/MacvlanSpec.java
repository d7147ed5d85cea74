package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netlink.codec.NlWriter;

/** A macvlan device on a lower link ({@code IFLA_LINK}), in one of the {@link MacvlanMode}s. */
public final class MacvlanSpec extends LinkSpec<MacvlanSpec> {
    private final LinkRef lower;
    private MacvlanMode mode;

    MacvlanSpec(String name, LinkRef lower) {
        super(name, "macvlan");
        this.lower = lower;
    }

    public MacvlanSpec mode(MacvlanMode mode) {
        this.mode = mode;
        return this;
    }

    LinkRef lowerRef() {
        return lower;
    }

    @Override
    void writeKindTopLevel(NlWriter w, Resolver r) {
        w.u32(Nl.IFLA_LINK, r.index(lower));
    }

    @Override
    void writeInfoData(NlWriter w, Resolver r) {
        if (mode != null) {
            w.u32(Nl.IFLA_MACVLAN_MODE, mode.code());
        }
    }

    @Override
    public String describe() {
        return "macvlan " + name + " on " + lower;
    }
}
