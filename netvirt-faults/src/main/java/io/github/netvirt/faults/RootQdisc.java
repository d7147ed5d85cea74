package io.github.netvirt.faults;

import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netlink.Qdisc;
import io.github.netvirt.netlink.QdiscSpec;
import io.github.netvirt.netlink.TcHandle;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.Journal;
import io.github.netvirt.netns.sys.Errno;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
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
 * fault chooses its handle before the add, at random among the majors the kernel would choose itself
 * ({@code 8000:} to {@code fffe:}) that no qdisc of the device has, and adds it with that handle, so
 * that it is known whether or not the add's echo comes back; the heal deletes the root qdisc only if
 * it still has that handle and kind ({@link NetlinkHandle#qdiscDelIfSame}). A root qdisc someone put in its place ({@code tc qdisc
 * replace dev DEV root ...} of another kind, or a del and an add) stays; a {@code tc qdisc change}
 * keeps the qdisc, which the heal then removes. Not proven: a qdisc of the same kind given the same
 * handle (by its maker's choice, or by the kernel's auto-handle counter, which counts through the same
 * majors for every device of the machine) since, or between the fault's dump and its add, which the
 * kernel then refuses (by a cleanup, if the JVM dies before the refusal's line), is taken for the
 * fault's; and a qdisc someone grafted under the fault's
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
 * device's ifindex, the kind and the handle before the add, its removal at the heal or at the add's
 * refusal; a cleanup after a crash deletes it as the heal does, by handle and kind, whether the JVM
 * died before the add, during it or after. A handle
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
            List<Qdisc> there = new ArrayList<>();
            for (Qdisc q : h.qdiscList()) {
                if (q.index() == index) {
                    there.add(q);
                }
            }
            for (Qdisc q : there) {
                // a relay's egress redirect takes every packet before the root qdisc: the limit would do nothing
                if (q.kind().equals("clsact")) {
                    throw NetlinkException.refused(
                            "RTM_NEWQDISC root on " + device + " in " + ns + ": a clsact qdisc (a link condition's"
                                    + " relay) would take its egress before any root qdisc: the device has " + q,
                            Errno.EEXIST);
                }
            }
            int handle = unusedHandle(there, ThreadLocalRandom.current());
            QdiscSpec<?> s = spec.apply(index).handle(handle);
            Qdisc made = new Qdisc(index, handle, TcHandle.ROOT, s.kind(), null);
            // noted (in the crash record of the topology that handed the handle out) with its handle
            // before it exists: a cleaner deletes it by that handle and kind, whatever became of the add
            Journal.Made note = Journal.of(ns).rootQdisc(index, s.kind());
            try {
                note.made(Integer.toUnsignedLong(handle));
            } catch (RuntimeException e) {
                note.gone(); // nothing is added
                throw e;
            }
            try {
                qdiscCreate.apply(h, s); // its echo tells nothing more: the kernel keeps the handle asked for
            } catch (RuntimeException e) {
                if (e instanceof NetlinkException n && n.isExists()) {
                    note.gone(); // a root qdisc put there since the dump, or one given that handle: nothing was added
                    throw n.withRequest(n.request() + ": " + device + " in " + ns + " has a root qdisc already");
                }
                if (!(e instanceof NetlinkException n && n.is(Errno.EBADMSG))) {
                    // refused, or not known to be: whatever was made goes again, nothing is left
                    try {
                        h.qdiscDelIfSame(made);
                        note.gone();
                    } catch (RuntimeException d) {
                        e.addSuppressed(d);
                    }
                    throw e;
                }
                // acknowledged, its echo lost: it is made, with the handle asked for
            }
            added = new RootQdisc(kind, lease, device, made, note);
        } catch (RuntimeException e) {
            lease.release();
            throw e;
        }
        return Lease.healOnClose(added, lease);
    }

    /**
     * A root qdisc handle for a device whose qdiscs are {@code there}: a major the kernel would choose
     * itself ({@code 8000:} to {@code fffe:}, the range a cleaner takes from a crash record) that none
     * of them has, from a random one on, so that two adders seldom pick the same.
     *
     * @throws IllegalStateException if they have every one
     */
    static int unusedHandle(List<Qdisc> there, Random random) {
        Set<Integer> used = new HashSet<>();
        for (Qdisc q : there) {
            used.add(TcHandle.major(q.handle()));
        }
        int first = random.nextInt(TcHandle.AUTO_MAJORS);
        for (int i = 0; i < TcHandle.AUTO_MAJORS; i++) {
            int major = TcHandle.FIRST_AUTO_MAJOR + (first + i) % TcHandle.AUTO_MAJORS;
            if (!used.contains(major)) {
                return TcHandle.of(major, 0);
            }
        }
        throw new IllegalStateException("every root qdisc handle from 8000: to fffe: is in use on the device");
    }

    @Override
    void undo() {
        inside(lease, h -> h.qdiscDelIfSame(added));
        note.gone(); // deleted, or another qdisc (or none) is there now: not the fault's to delete
    }
}
