package io.github.netvirt.faults;

import io.github.netvirt.netlink.DownedLink;
import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import java.util.List;

/**
 * A cable pulled: the device is set down ({@code ip link set dev DEV down}) until {@link #heal()}
 * sets it up again. With netvirt-core, {@code Topology.down()}/{@code up()} do the same by logical
 * names; this form needs only a namespace and a device name. Cutting one end of a veth takes the
 * carrier away from the other end too.
 * The heal gives back the routes and IPv6 addresses the down took ({@link DownedLink}).
 * Cuts of one device nest (with {@code Topology.down()} too): the device stays down until the last
 * of them heals, which gives back what the device had before the first.
 * The cut keeps a handle of its own on the namespace: it heals whatever becomes of the handle it was
 * given, and heals when that handle closes (a topology's close) if not before.
 */
public final class LinkCut extends OneShotFault {
    private final Lease lease;
    private final String device;
    private final DownedLink downed;

    private LinkCut(Lease lease, String device, DownedLink downed) {
        super("LinkCut", device);
        this.lease = lease;
        this.device = device;
        this.downed = downed;
    }

    /**
     * Sets {@code device} of {@code ns} down. Healing restores it only if it was up before the first
     * of the cuts holding it down, and only when it is the last of them.
     */
    public static LinkCut cut(NetNamespace ns, String device) {
        Lease lease = Lease.of(ns);
        LinkCut cut;
        try (NetlinkHandle h = NetlinkHandle.open(lease.ns())) {
            cut = new LinkCut(lease, device, DownedLink.setDown(h, h.link(device)));
        } catch (RuntimeException e) {
            lease.release();
            throw e;
        }
        return Lease.healOnClose(cut, List.of(lease));
    }

    /**
     * Sets the device up again, if it was, when no other cut holds it down, and has the kernel finish
     * that (for the veth peer too: {@code NetlinkHandle.linkUp}); nothing when it is gone (with the
     * routes through it).
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
        } finally {
            downed.release(); // ended already by setUp; else the device stays as it is
            lease.release();
        }
    }

    @Override
    public synchronized String toString() {
        return isActive() ? "LinkCut[" + device + ", cut]" : super.toString();
    }
}
