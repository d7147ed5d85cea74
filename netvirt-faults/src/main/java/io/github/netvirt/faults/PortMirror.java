package io.github.netvirt.faults;

import io.github.netvirt.netlink.Filter;
import io.github.netvirt.netlink.FilterSpec;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netlink.Qdisc;
import io.github.netvirt.netlink.QdiscSpec;
import io.github.netvirt.netlink.TcHandle;
import io.github.netvirt.netns.NetNamespace;
import java.util.List;

/**
 * Copies every frame arriving on one device to another, as a switch's monitor port does: an
 * {@code ingress} qdisc on {@code from} with a match-all u32 filter whose action is
 * {@code mirred egress mirror dev TO} ({@code tc filter add dev FROM parent ffff: protocol all prio 1
 * u32 match u32 0 0 action mirred egress mirror dev TO}), installed through netvirt-netlink's
 * {@link NetlinkHandle}. Mirror a bridge's ports to a TAP device and read the TAP to see the traffic that crosses the bridge.
 *
 * <p>{@link #heal()} removes the ingress qdisc and its filter if they are still the mirror's. An
 * ingress qdisc always has the handle {@code ffff:}, so the qdisc itself proves nothing; the proof is
 * the filter: the add learns the handle the kernel gave it ({@link NetlinkHandle#filterCreate}), and
 * the heal removes the ingress qdisc only if it holds a u32 filter of that priority and handle
 * mirroring to the same device (by ifindex), and nothing else. When someone added filters of their own
 * to it, only the mirror's filter is deleted (its priority's classifier, or the filter alone by its
 * handle when theirs share the priority) and the qdisc stays with theirs; when
 * the mirror's filter is gone (the qdisc deleted, or replaced by someone else's), nothing is touched.
 * Not proven: an ingress qdisc deleted and added again by someone else with a filter like the
 * mirror's (the kernel numbers the u32 nodes of a new qdisc from {@code 800::800} again) is taken
 * for the mirror's. Thread-safe.
 */
public final class PortMirror extends OneShotFault {
    private final Lease lease;
    private final Qdisc ingress;
    private final Filter filter;

    private PortMirror(Lease lease, String from, Qdisc ingress, Filter filter) {
        super("PortMirror", from);
        this.lease = lease;
        this.ingress = ingress;
        this.filter = filter;
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
            Qdisc ingress = h.qdiscCreate(QdiscSpec.ingress(fromIndex));
            Filter filter;
            try {
                filter = h.filterCreate(FilterSpec.u32MatchAll(fromIndex)
                        .parent(TcHandle.INGRESS_QDISC)
                        .priority(1)
                        .mirredEgressMirror(toIndex));
            } catch (RuntimeException e) {
                h.qdiscDelIfSame(ingress); // the filter goes with it
                throw e;
            }
            mirror = new PortMirror(lease, from, ingress, filter);
        } catch (RuntimeException e) {
            lease.release();
            throw e;
        }
        return Lease.healOnClose(mirror, List.of(lease));
    }

    /**
     * Stops mirroring: removes the ingress qdisc of {@code from} (by its ifindex: never of a device
     * made since under the same name) with its filter, if it still holds the mirror's filter and no
     * other; only the filter when it holds others too. Does nothing once healed, or when the device,
     * its ingress qdisc or the mirror's filter is gone already.
     */
    @Override
    void undo() {
        inside(lease, h -> h.filterDelWithQdiscIfSame(ingress, filter));
    }
}
