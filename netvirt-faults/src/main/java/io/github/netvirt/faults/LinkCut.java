package io.github.netvirt.faults;

import io.github.netvirt.netlink.DownedLink;
import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;

/**
 * A cable pulled: the device is set down ({@code ip link set dev DEV down}) until {@link #heal()}
 * sets it up again. With netvirt-core, {@code Topology.down()}/{@code up()} do the same by logical
 * names; this form needs only a namespace and a device name. Cutting one end of a veth takes the
 * carrier away from the other end too.
 * The heal gives back the routes and IPv6 addresses the down took ({@link DownedLink}).
 * Cuts of one device nest (with {@code Topology.down()} too): the device stays down until the last
 * of them heals, which gives back what the device had before the first.
 */
public final class LinkCut extends OneShotFault {
    private final NetNamespace ns;
    private final String device;
    private final DownedLink downed;

    private LinkCut(NetNamespace ns, String device, DownedLink downed) {
        super("LinkCut", device);
        this.ns = ns;
        this.device = device;
        this.downed = downed;
    }

    /**
     * Sets {@code device} of {@code ns} down. Healing restores it only if it was up before the first
     * of the cuts holding it down, and only when it is the last of them.
     */
    public static LinkCut cut(NetNamespace ns, String device) {
        try (NetlinkHandle h = NetlinkHandle.open(ns)) {
            return new LinkCut(ns, device, DownedLink.setDown(h, h.link(device)));
        }
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
                inside(ns, downed::setUp);
            }
        } catch (NetlinkException e) {
            if (!e.isNoDevice()) {
                throw e;
            }
        } finally {
            downed.release(); // ended already by setUp; else the device stays as it is
        }
    }

    @Override
    public synchronized String toString() {
        return isActive() ? "LinkCut[" + device + ", cut]" : super.toString();
    }
}
