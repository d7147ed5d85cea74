package io.github.netvirt.faults;

import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netlink.Qdisc;
import io.github.netvirt.netlink.QdiscSpec;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.Journal;
import io.github.netvirt.netns.sys.Errno;
import java.util.function.IntFunction;

/**
 * A root qdisc put on a device by {@link RateLimit#on} or {@link Netem#on}, in force until
 * {@link #heal()} removes it, which gives the device its default qdisc back. It is added only over
 * the kernel's default qdisc ({@code tc qdisc add}, not {@code replace}): a root qdisc of another
 * fault, link condition or program is left alone and the fault refused (EEXIST), since the heal could
 * not give it back; so is a device with a {@code clsact} qdisc (a link condition in relay mode, or a
 * program's), whose egress filters run before the root qdisc and would take the packets past it.
 *
 * <p>The heal deletes the qdisc the fault added, not whatever root qdisc the device has by then: the
 * add learns the handle the kernel gave it ({@link NetlinkHandle#qdiscCreate}, {@code 8001:} and up)
 * and the heal deletes the root qdisc only if it still has that handle and kind
 * ({@link NetlinkHandle#qdiscDelIfSame}). A root qdisc someone put in its place ({@code tc qdisc
 * replace dev DEV root ...} of another kind, or a del and an add) stays; a {@code tc qdisc change}
 * keeps the qdisc, which the heal then removes. Not proven: a qdisc of the same kind given the same
 * handle since (by its maker's choice, or by the kernel's auto-handle counter after 32767 more
 * qdiscs on the machine) is taken for the fault's; and a qdisc someone grafted under the fault's
 * (tbf's class {@code 1}) goes with it.
 *
 * <p>Every request goes by the device's ifindex: while the namespace is open it names the device the
 * qdisc was put on, not one made since under the same name. The fault keeps a handle of its own on
 * the namespace ({@link Lease}) and heals when the handle it was given closes (a topology's close) if
 * not before; healing does nothing when the device or its root qdisc is gone already, or another
 * root qdisc is in its place. Thread-safe.
 *
 * <p>Where the handle was handed out by a netvirt-core topology for a namespace it does not own (an
 * adopted one, the root), the qdisc is noted in the topology's crash record ({@code Journal}): the
 * device's ifindex and the kind before the add, the handle the add echoed right after it, its removal
 * at the heal; a cleanup after a crash deletes it as the heal does, by handle and kind. A handle
 * opened alone has no record: a qdisc put through it outlives a crash of the JVM.
 */
final class RootQdisc extends OneShotFault {
    private final Lease lease;
    /** As the kernel made it: device, handle and kind, what {@link #undo} proves before deleting. */
    private final Qdisc added;

    private final Journal.Made note;

    private RootQdisc(String kind, Lease lease, String device, Qdisc added, Journal.Made note) {
        super(kind, device);
        this.lease = lease;
        this.added = added;
        this.note = note;
    }

    /** Puts {@code spec} of its ifindex on {@code device} in {@code ns} as its root qdisc. */
    static RootQdisc add(String kind, NetNamespace ns, String device, IntFunction<QdiscSpec<?>> spec) {
        Lease lease = Lease.of(ns);
        RootQdisc added;
        try (NetlinkHandle h = NetlinkHandle.open(lease.ns())) {
            int index = h.linkIndex(device);
            // a relay's egress redirect takes every packet before the root qdisc: the limit would do nothing
            h.qdiscRefuseIfAny(
                    index,
                    q -> q.kind().equals("clsact"),
                    "RTM_NEWQDISC root on " + device + " in " + ns + ": a clsact qdisc (a link condition's relay)"
                            + " would take its egress before any root qdisc");
            QdiscSpec<?> s = spec.apply(index);
            // noted (in the crash record of the topology that handed the handle out) before it exists,
            // its handle once the add echoed it: a cleaner deletes only a qdisc whose handle is noted
            Journal.Made note = Journal.of(ns).rootQdisc(index, s.kind());
            Qdisc made;
            try {
                made = h.qdiscCreate(s);
            } catch (NetlinkException e) {
                if (!e.is(Errno.EBADMSG)) {
                    note.gone(); // refused: nothing was added (EBADMSG: added, unknown, so the note stays)
                }
                throw e.isExists()
                        ? e.withRequest(e.request() + ": " + device + " in " + ns + " has a root qdisc already")
                        : e;
            }
            try {
                note.made(Integer.toUnsignedLong(made.handle()));
            } catch (RuntimeException e) {
                // a crash would leave it unproven: it goes again, nothing is left
                try {
                    h.qdiscDelIfSame(made);
                    note.gone();
                } catch (RuntimeException d) {
                    e.addSuppressed(d);
                }
                throw e;
            }
            added = new RootQdisc(kind, lease, device, made, note);
        } catch (RuntimeException e) {
            lease.release();
            throw e;
        }
        return Lease.healOnClose(added, lease);
    }

    @Override
    void undo() {
        inside(lease, h -> h.qdiscDelIfSame(added));
        note.gone(); // deleted, or another qdisc (or none) is there now: not the fault's to delete
    }
}
