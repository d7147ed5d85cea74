package io.github.netvirt.faults;

import io.github.netvirt.netlink.FilterSpec;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netlink.QdiscSpec;
import io.github.netvirt.netlink.TcHandle;
import io.github.netvirt.netns.NetNamespace;

/**
 * Copies every frame arriving on one device to another, as a switch's monitor port does: an
 * {@code ingress} qdisc on {@code from} with a match-all u32 filter whose action is
 * {@code mirred egress mirror dev TO} ({@code tc filter add dev FROM parent ffff: protocol all prio 1
 * u32 match u32 0 0 action mirred egress mirror dev TO}), installed through netvirt-netlink's
 * {@link NetlinkHandle}. Mirror a bridge's ports to a TAP device and read the TAP to see the traffic that crosses the bridge. {@link #close()} removes
 * the ingress qdisc and its filter.
 */
public final class PortMirror implements AutoCloseable {
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
        try (NetlinkHandle h = NetlinkHandle.open(ns)) {
            // both devices are looked up before anything is added
            int fromIndex = h.linkIndex(from);
            int toIndex = h.linkIndex(to);
            h.qdiscAdd(QdiscSpec.ingress(fromIndex));
            try {
                h.filterAdd(FilterSpec.u32MatchAll(fromIndex).parent(TcHandle.INGRESS_QDISC).priority(1)
                        .mirredEgressMirror(toIndex));
            } catch (RuntimeException e) {
                removeIngress(h, fromIndex);
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
        try (NetlinkHandle h = NetlinkHandle.open(ns)) {
            removeIngress(h, h.linkIndex(from));
        }
    }

    /** {@code tc qdisc del dev DEV ingress}: the filter goes with it. */
    private static void removeIngress(NetlinkHandle h, int index) {
        h.qdiscDel(QdiscSpec.ingress(index));
    }
}
