package io.github.netvirt.faults;

import io.github.netvirt.netlink.FilterSpec;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netlink.QdiscSpec;
import io.github.netvirt.netlink.TcHandle;
import io.github.netvirt.netns.NetNamespace;
import java.util.List;

/**
 * Copies every frame arriving on one device to another, as a switch's monitor port does: an
 * {@code ingress} qdisc on {@code from} with a match-all u32 filter whose action is
 * {@code mirred egress mirror dev TO} ({@code tc filter add dev FROM parent ffff: protocol all prio 1
 * u32 match u32 0 0 action mirred egress mirror dev TO}), installed through netvirt-netlink's
 * {@link NetlinkHandle}. Mirror a bridge's ports to a TAP device and read the TAP to see the traffic that crosses the bridge. {@link #heal()} removes
 * the ingress qdisc and its filter. Thread-safe.
 */
public final class PortMirror extends OneShotFault {
    private final Lease lease;
    private final int fromIndex;

    private PortMirror(Lease lease, String from, int fromIndex) {
        super("PortMirror", from);
        this.lease = lease;
        this.fromIndex = fromIndex;
    }

    /**
     * Mirrors the frames arriving on {@code from} to {@code to}, both devices of {@code ns}, until healed.
     *
     * @throws IllegalArgumentException if {@code from} and {@code to} are the same device
     * @throws io.github.netvirt.netlink.NetlinkException ENODEV when a device is missing (nothing is
     *         added), EEXIST when {@code from} has an ingress qdisc already, or the kernel's refusal
     * @throws IllegalStateException if {@code ns} is closed
     */
    public static PortMirror ingress(NetNamespace ns, String from, String to) {
        if (from.equals(to)) {
            throw new IllegalArgumentException("cannot mirror " + from + " onto itself");
        }
        Lease lease = Lease.of(ns);
        PortMirror mirror;
        try (NetlinkHandle h = NetlinkHandle.open(lease.ns())) {
            // both devices are looked up before anything is added
            int fromIndex = h.linkIndex(from);
            int toIndex = h.linkIndex(to);
            h.qdiscAdd(QdiscSpec.ingress(fromIndex));
            try {
                h.filterAdd(FilterSpec.u32MatchAll(fromIndex)
                        .parent(TcHandle.INGRESS_QDISC)
                        .priority(1)
                        .mirredEgressMirror(toIndex));
            } catch (RuntimeException e) {
                removeIngress(h, fromIndex);
                throw e;
            }
            mirror = new PortMirror(lease, from, fromIndex);
        } catch (RuntimeException e) {
            lease.release();
            throw e;
        }
        return Lease.healOnClose(mirror, List.of(lease));
    }

    /**
     * Stops mirroring: removes the ingress qdisc of {@code from} (by its ifindex: never of a device
     * made since under the same name) with its filter. Does nothing once healed, or when the device or its
     * ingress qdisc is gone already.
     */
    @Override
    void undo() {
        inside(lease, h -> h.qdiscDelIfPresent(QdiscSpec.ingress(fromIndex)));
    }

    /** {@code tc qdisc del dev DEV ingress}: the filter goes with it. */
    private static void removeIngress(NetlinkHandle h, int index) {
        h.qdiscDel(QdiscSpec.ingress(index));
    }
}
