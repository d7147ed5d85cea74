package io.github.netvirt.faults;

import io.github.netvirt.faults.rtnl.NlRequest;
import io.github.netvirt.faults.rtnl.QdiscOptions;
import io.github.netvirt.faults.rtnl.Rtnl;
import io.github.netvirt.netns.NetNamespace;

/**
 * Copies every frame arriving on one device to another, as a switch's monitor port does: an
 * {@code ingress} qdisc on {@code from} with a match-all u32 filter whose action is
 * {@code mirred egress mirror dev TO} ({@code tc filter add dev FROM parent ffff: protocol all u32
 * match u32 0 0 action mirred egress mirror dev TO}), over rtnetlink. Mirror a bridge's ports to a
 * TAP device and read the TAP to see the traffic that crosses the bridge. {@link #close()} removes
 * the ingress qdisc and its filter.
 */
public final class PortMirror implements AutoCloseable {
    private static final int ETH_P_ALL_BE = 0x0300; // htons(ETH_P_ALL)

    private final NetNamespace ns;
    private final String from;
    private boolean closed;

    private PortMirror(NetNamespace ns, String from) {
        this.ns = ns;
        this.from = from;
    }

    /** Mirrors the frames arriving on {@code from} to {@code to}, both devices of {@code ns}. */
    public static PortMirror ingress(NetNamespace ns, String from, String to) {
        if (from.equals(to)) {
            throw new IllegalArgumentException("cannot mirror " + from + " onto itself");
        }
        try (Rtnl rtnl = Rtnl.open(ns)) {
            int fromIndex = rtnl.linkIndex(from);
            int toIndex = rtnl.linkIndex(to);
            rtnl.execute(Rtnl.tcRequest(Rtnl.RTM_NEWQDISC, NlRequest.NLM_F_CREATE | NlRequest.NLM_F_EXCL, fromIndex,
                    Rtnl.INGRESS_HANDLE, Rtnl.TC_H_INGRESS, 0, "ingress", null), "qdisc add dev " + from + " ingress");
            try {
                rtnl.execute(Rtnl.tcRequest(Rtnl.RTM_NEWTFILTER, NlRequest.NLM_F_CREATE | NlRequest.NLM_F_EXCL, fromIndex,
                        0, Rtnl.INGRESS_HANDLE, (1 << 16) | ETH_P_ALL_BE, "u32", r -> QdiscOptions.u32MirrorAll(r, toIndex)),
                        "filter add dev " + from + " ingress u32 match all action mirred egress mirror dev " + to);
            } catch (RuntimeException e) {
                removeIngress(rtnl, fromIndex, from);
                throw e;
            }
        }
        return new PortMirror(ns, from);
    }

    /** Stops mirroring: removes the ingress qdisc of {@code from} with its filter. */
    @Override
    public synchronized void close() {
        if (closed || !ns.isOpen()) {
            closed = true;
            return;
        }
        closed = true;
        try (Rtnl rtnl = Rtnl.open(ns)) {
            removeIngress(rtnl, rtnl.linkIndex(from), from);
        }
    }

    private static void removeIngress(Rtnl rtnl, int index, String dev) {
        rtnl.execute(Rtnl.tcRequest(Rtnl.RTM_DELQDISC, 0, index, Rtnl.INGRESS_HANDLE, Rtnl.TC_H_INGRESS, 0, null, null),
                "qdisc del dev " + dev + " ingress");
    }
}
