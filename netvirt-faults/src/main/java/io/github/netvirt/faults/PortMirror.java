package io.github.netvirt.faults;

import io.github.netvirt.netlink.Filter;
import io.github.netvirt.netlink.FilterSpec;
import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netlink.Qdisc;
import io.github.netvirt.netlink.QdiscSpec;
import io.github.netvirt.netlink.TcHandle;
import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.Journal;
import io.github.netvirt.netns.sys.Errno;
import java.util.List;
import java.util.Objects;

/**
 * Copies every frame arriving on one device to another, as a switch's monitor port does: an
 * {@code ingress} qdisc on {@code from} with a match-all u32 filter whose action is
 * {@code mirred egress mirror dev TO} ({@code tc filter add dev FROM parent ffff: protocol all prio 1
 * u32 match u32 0 0 action mirred egress mirror dev TO}), installed through netvirt-netlink's
 * {@link NetlinkHandle}. Mirror a bridge's ports to a TAP device and read the TAP to see the traffic that crosses the bridge.
 *
 * <p>{@link #heal()} removes the ingress qdisc and its filter if they are still the mirror's. An
 * ingress qdisc always has the handle {@code ffff:}, and the kernel numbers the u32 nodes of every new
 * one from {@code 800::800}, so neither the qdisc nor the filter's handle proves anything; the proof is
 * the cookie of the filter's action ({@link FilterSpec#cookie}: 16 random bytes per mirror, which the
 * kernel keeps with the action and reports), with the handle the add learns
 * ({@link NetlinkHandle#filterCreate}): the heal removes the ingress qdisc only if it holds a u32
 * filter of that priority and handle whose egress mirror action carries that cookie, and nothing
 * else. The device mirrored to proves nothing and need not be there: once it is deleted the kernel
 * reports the action's target as ifindex 0 ({@code tc}'s "to device *"), with a device made since
 * under its name too, and the heal removes the mirror all the same. When someone added filters of their own to it, only the mirror's filter is deleted
 * (its priority's classifier, or the filter alone by its handle when theirs share the priority) and
 * the qdisc stays with theirs; when the mirror's filter is gone (the qdisc deleted, or replaced by
 * someone else's, a filter like the mirror's included), nothing is touched. Thread-safe.
 *
 * <p>Where the handle was handed out by a netvirt-core topology for a namespace it does not own (an
 * adopted one, the root), the mirror is noted in the topology's crash record ({@code Journal}): the
 * device, the filter's priority, the device mirrored to and its action's cookie before the qdisc's
 * add, the filter's u32 handle right after the filter's, its removal at the heal; a cleanup after a
 * crash deletes the filter and the qdisc as the heal does (a filter whose handle's line a kill cut off
 * by its action's cookie alone; a bare ingress qdisc, a kill between the two adds, by the mark it is
 * made with: a size table holding the cookie's first eight bytes, {@link Qdisc.SizeTable#marking},
 * which changes nothing on an ingress qdisc). A handle opened alone has no record: a
 * mirror put through it outlives a crash of the JVM.
 */
public final class PortMirror extends OneShotFault {
    private final Lease lease;
    private final Qdisc ingress;
    private final Filter filter;
    private final Journal.Made note;

    /** The mirror filter's priority ({@code pref}). */
    private static final int PRIORITY = 1;

    private PortMirror(Lease lease, String from, Qdisc ingress, Filter filter, Journal.Made note) {
        super("PortMirror", from);
        this.lease = lease;
        this.ingress = ingress;
        this.filter = filter;
        this.note = note;
    }

    /**
     * Mirrors the frames arriving on {@code from} to {@code to}, both devices of {@code ns}, until healed.
     *
     * @throws NullPointerException if an argument is null, naming it
     * @throws IllegalArgumentException if {@code from} and {@code to} are the same device (by name, or by
     *     ifindex: one may be the other's alternative name), before anything is added
     * @throws io.github.netvirt.netlink.NetlinkException ENODEV when a device is missing (nothing is
     *         added), EEXIST when {@code from} has an ingress (or clsact) qdisc already (another mirror, a link
     *         condition's), its message naming the device and namespace; or the kernel's refusal
     * @throws IllegalStateException if {@code ns} is closed
     */
    public static PortMirror ingress(NetNamespace ns, String from, String to) {
        Objects.requireNonNull(ns, "ns");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.equals(to)) {
            throw new IllegalArgumentException("cannot mirror " + from + " onto itself");
        }
        Lease lease = Lease.of(ns);
        PortMirror mirror;
        try (NetlinkHandle h = NetlinkHandle.open(lease.ns())) {
            // both devices are looked up before anything is added
            int fromIndex = h.linkIndex(from);
            int toIndex = h.linkIndex(to);
            if (fromIndex == toIndex) { // two names of one device: an altname, or a rename between the lookups
                throw new IllegalArgumentException("cannot mirror " + from + " onto itself: " + to + " in " + ns
                        + " is the same device (ifindex " + fromIndex + ")");
            }
            String mark = FilterSpec.newCookie();
            FilterSpec spec = FilterSpec.u32MatchAll(fromIndex)
                    .parent(TcHandle.INGRESS_QDISC)
                    .priority(PRIORITY)
                    .mirredEgressMirror(toIndex)
                    .cookie(mark);
            // noted (in the crash record of the topology that handed the handle out) with its action's
            // cookie before the qdisc exists, the filter's handle once its add echoed it: a cleaner
            // deletes only a filter carrying that cookie
            Journal.Made note = Journal.of(ns).ingressMirror(fromIndex, PRIORITY, toIndex, mark);
            // an ingress qdisc is fully determined (handle ffff:, parent ffff:fff1): known without its echo
            Qdisc ingress = new Qdisc(fromIndex, TcHandle.INGRESS_QDISC, TcHandle.INGRESS, "ingress", null);
            try {
                // marked with the action's cookie, which the qdisc would otherwise carry nothing of: a
                // crash between the two adds leaves it proven, and a cleaner deletes it
                qdiscCreate.apply(h, QdiscSpec.ingress(fromIndex).stab(Qdisc.SizeTable.marking(mark)));
            } catch (NetlinkException e) {
                if (!e.is(Errno.EBADMSG)) {
                    note.gone(); // refused: nothing was added
                    throw e.isExists()
                            ? e.withRequest(e.request() + ": " + from + " in " + ns + " has an ingress qdisc already"
                                    + " (another PortMirror, a link condition, or a program's ingress or clsact qdisc)")
                            : e;
                }
                // acknowledged, its echo lost: it is there, the filter goes on it
            }
            Filter filter;
            try {
                filter = h.filterCreate(spec);
            } catch (RuntimeException e) {
                try {
                    h.qdiscDelIfSame(ingress); // the filter goes with it
                    note.gone();
                } catch (RuntimeException d) {
                    e.addSuppressed(d);
                }
                throw e;
            }
            try {
                if (!filter.mirred().equals(List.of(new Filter.Mirred(Nl.TCA_EGRESS_MIRROR, toIndex, mark)))) {
                    throw new IllegalStateException("the kernel did not keep the mirror's action cookie"
                            + " (TCA_ACT_COOKIE): the mirror could not be told from a filter like it, " + filter);
                }
                note.made(Integer.toUnsignedLong(filter.handle()));
            } catch (RuntimeException e) {
                // a crash would leave it unproven: it goes again, nothing is left
                try {
                    h.filterDelWithQdiscIfSame(ingress, filter);
                    note.gone();
                } catch (RuntimeException d) {
                    e.addSuppressed(d);
                }
                throw e;
            }
            mirror = new PortMirror(lease, from, ingress, filter, note);
        } catch (RuntimeException e) {
            lease.release();
            throw e;
        }
        return Lease.healOnClose(mirror, lease);
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
        note.gone(); // deleted, or the mirror's filter is gone already: not the fault's to delete
    }
}
