package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netlink.codec.NlWriter;

/** A macvlan device on a lower link ({@code IFLA_LINK}), in one of the {@link Mode}s. */
public final class MacvlanSpec extends LinkSpec<MacvlanSpec> {
    /** {@code MACVLAN_MODE_*}. */
    public enum Mode {
        PRIVATE(1), VEPA(2), BRIDGE(4), PASSTHRU(8), SOURCE(16);

        final int code;

        Mode(int code) {
            this.code = code;
        }

        static Mode of(int code) {
            for (Mode m : values()) {
                if (m.code == code) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown macvlan mode " + code);
        }
    }

    private final LinkRef lower;
    private Mode mode;

    MacvlanSpec(String name, LinkRef lower) {
        super(name);
        this.lower = lower;
    }

    @Override
    public String kind() {
        return "macvlan";
    }

    public MacvlanSpec mode(Mode mode) {
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
            w.u32(Nl.IFLA_MACVLAN_MODE, mode.code);
        }
    }

    @Override
    public String describe() {
        return "macvlan " + name + " on " + lower;
    }
}
