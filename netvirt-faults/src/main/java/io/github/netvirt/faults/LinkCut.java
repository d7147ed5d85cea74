package io.github.netvirt.faults;

import io.github.netvirt.netlink.Link;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;

/**
 * A cable pulled: the device is set down ({@code ip link set dev DEV down}) until {@link #heal()}
 * sets it up again. With netvirt-core, {@code Topology.down()}/{@code up()} do the same by logical
 * names; this form needs only a namespace and a device name. Cutting one end of a veth takes the
 * carrier away from the other end too.
 */
public final class LinkCut extends OneShotFault {
    private final NetNamespace ns;
    private final String device;
    private final boolean wasUp;

    private LinkCut(NetNamespace ns, String device, boolean wasUp) {
        super("LinkCut", device);
        this.ns = ns;
        this.device = device;
        this.wasUp = wasUp;
    }

    /** Sets {@code device} of {@code ns} down. Healing restores it only if it was up before. */
    public static LinkCut cut(NetNamespace ns, String device) {
        try (NetlinkHandle h = NetlinkHandle.open(ns)) {
            Link link = h.link(device);
            h.linkSetDown(link.index());
            return new LinkCut(ns, device, link.isUp());
        }
    }

    @Override
    void undo() {
        if (wasUp) {
            inside(ns, h -> h.linkSetUp(device));
        }
    }

    @Override
    public synchronized String toString() {
        return isActive() ? "LinkCut[" + device + ", cut]" : super.toString();
    }
}
