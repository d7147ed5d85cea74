package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netlink.codec.NlWriter;
import java.time.Duration;

/**
 * A bridge. Unset options keep the kernel's defaults (STP off, forward delay 15 s, ageing 300 s,
 * VLAN filtering off). A bridge cannot move between namespaces: create it where it lives.
 */
public final class BridgeSpec extends LinkSpec<BridgeSpec> {
    private Boolean stp;
    private int forwardDelayCs = -1;
    private int ageingTimeCs = -1;
    private Boolean vlanFiltering;

    BridgeSpec(String name) {
        super(name, "bridge");
    }

    /** Spanning tree on or off ({@code stp_state}); in a non-initial namespace the kernel's own STP runs. */
    public BridgeSpec stp(boolean on) {
        this.stp = on;
        return this;
    }

    /** Forward delay (2..30 s when STP is on), kept in centiseconds as the kernel does. */
    public BridgeSpec forwardDelay(Duration d) {
        this.forwardDelayCs = centis(d, "forward delay");
        return this;
    }

    /** How long learned FDB entries live (kernel: 10 s .. 1000000 s, or 0 to never learn). */
    public BridgeSpec ageingTime(Duration d) {
        this.ageingTimeCs = centis(d, "ageing time");
        return this;
    }

    /**
     * VLAN filtering ({@code vlan_filtering}). A kernel built without CONFIG_BRIDGE_VLAN_FILTERING
     * (as on the machine netvirt was developed on) refuses the bridge with EOPNOTSUPP.
     */
    public BridgeSpec vlanFiltering(boolean on) {
        this.vlanFiltering = on;
        return this;
    }

    private static int centis(Duration d, String what) {
        if (d.isNegative() || d.compareTo(Duration.ofMillis(10L * Integer.MAX_VALUE + 9)) > 0) {
            throw new IllegalArgumentException(what + " out of range: " + d);
        }
        return (int) (d.toMillis() / 10);
    }

    @Override
    void writeInfoData(NlWriter w, Resolver r) {
        if (stp != null) {
            w.u32(Nl.IFLA_BR_STP_STATE, stp ? 1 : 0);
        }
        if (forwardDelayCs >= 0) {
            w.u32(Nl.IFLA_BR_FORWARD_DELAY, forwardDelayCs);
        }
        if (ageingTimeCs >= 0) {
            w.u32(Nl.IFLA_BR_AGEING_TIME, ageingTimeCs);
        }
        if (vlanFiltering != null) {
            w.u8(Nl.IFLA_BR_VLAN_FILTERING, vlanFiltering ? 1 : 0);
        }
    }
}
