package io.github.netvirt.faults;

import io.github.netvirt.netlink.DownedLink;
import io.github.netvirt.netlink.Link;
import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.Journal;
import java.util.Objects;

/**
 * A cable pulled: the device is set down ({@code ip link set dev DEV down}) until {@link #heal()}
 * sets it up again. With netvirt-core, {@code Topology.down()}/{@code up()} do the same by logical
 * names; this form needs only a namespace and a device name. Cutting one end of a veth takes the
 * carrier away from the other end too.
 * The heal gives back the routes and IPv6 addresses the down took ({@link DownedLink}), and
 * returns once they, and the other end's of a veth, the bridges either end is a port of and the macvlans'
 * on it, are usable (past DAD where it runs).
 * Cuts of one device nest (with {@code Topology.down()} too): the device stays down until the last
 * of them heals, which gives back what the device had before the first.
 * The cut keeps a handle of its own on the namespace: it heals whatever becomes of the handle it was
 * given, and heals when that handle closes (a topology's close) if not before.
 *
 * <p>Where the handle was handed out by a netvirt-core topology for a namespace it does not own (an
 * adopted one, the root), a cut that is to set the device up at its heal is noted in the topology's
 * crash record ({@code Journal}): the device's ifindex and name, before the down (or, nested in a cut
 * that held the device down already, right after it), and the heal; a cleanup after a crash sets the
 * device up if the device of that ifindex still has that name and is down. It does not give back the
 * routes and IPv6 addresses the down took (the heal does, from what {@link DownedLink} noted in this
 * JVM). A handle opened alone has no record: a device it cut stays down after a crash of the JVM.
 */
public final class LinkCut extends OneShotFault {
    private final Lease lease;
    private final String device;
    private final DownedLink downed;
    private final Journal.Note note;

    private LinkCut(Lease lease, String device, DownedLink downed, Journal.Note note) {
        super("LinkCut", device);
        this.lease = lease;
        this.device = device;
        this.downed = downed;
        this.note = note;
    }

    /**
     * Sets {@code device} of {@code ns} down. Healing restores it only if it was up before the first
     * of the cuts holding it down, and only when it is the last of them.
     *
     * @throws NullPointerException if {@code ns} or {@code device} is null, naming it
     * @throws IllegalStateException if {@code ns} is closed
     * @throws NetlinkException ENODEV naming {@code device} and {@code ns} if there is no such device,
     *         also when it is deleted while the cut sets it down (nothing is held then)
     */
    public static LinkCut cut(NetNamespace ns, String device) {
        Objects.requireNonNull(ns, "ns");
        Objects.requireNonNull(device, "device");
        Lease lease = Lease.of(ns);
        LinkCut cut;
        try (NetlinkHandle h = NetlinkHandle.open(lease.ns())) {
            Link link = h.link(device);
            Journal journal = Journal.of(ns);
            // noted before the down when the device is up: a cleaner sets up only what a cut set down
            Journal.Note note = link.isUp() ? journal.linkDown(link.index(), link.name()) : null;
            DownedLink downed;
            try {
                downed = DownedLink.setDown(h, link);
            } catch (RuntimeException e) {
                if (note != null) {
                    note.gone();
                }
                throw e;
            }
            if (note == null && downed.wasUp()) {
                // nested in a cut that holds it down already: noted too, since this one may heal last
                try {
                    note = journal.linkDown(link.index(), link.name());
                } catch (RuntimeException e) {
                    // ended as a heal ends it, not left as it is: the cuts it nested in may have healed
                    // meanwhile (a topology's close heals them before its record refuses this note), their
                    // ups deferred to this down, which is the last then and gives the device back
                    try {
                        downed.setUp(h);
                    } catch (RuntimeException u) {
                        e.addSuppressed(u);
                    }
                    throw e;
                }
            }
            cut = new LinkCut(lease, device, downed, note != null ? note : Journal.Note.NONE);
        } catch (RuntimeException e) {
            lease.release();
            throw e;
        }
        return Lease.healOnClose(cut, lease);
    }

    /**
     * Sets the device up again, if it was, when no other cut holds it down, and has the kernel finish
     * that (for the veth peer too: {@code NetlinkHandle.linkUp}); nothing when it is gone (with the
     * routes through it). Returns once the IPv6 addresses it gave back are usable, and those of the
     * veth's other end, wherever it is, of the bridges either end is a port of and of the macvlans on them: the
     * carrier the heal turns on there starts the DAD of the addresses they got while they had none (a
     * heal of its own, an add), 1-2 s where DAD runs ({@link DownedLink#setUp}). When that throws
     * (e.g. EEXIST: a route of someone else's where one the down took is to come back), the cut
     * stays active and in the crash record: the next heal sets
     * the device up again and gives back only what is still missing ({@link DownedLink#setUp}).
     */
    @Override
    void undo() {
        try {
            if (downed.wasUp()) {
                inside(lease, downed::setUp);
            }
        } catch (NetlinkException e) {
            if (!e.isNoDevice()) {
                throw e;
            }
        }
        note.gone();
        downed.release(); // ended already by setUp; else the device stays as it is
        lease.release();
    }

    @Override
    public synchronized String toString() {
        return isActive() ? "LinkCut[" + device + ", cut]" : super.toString();
    }
}
