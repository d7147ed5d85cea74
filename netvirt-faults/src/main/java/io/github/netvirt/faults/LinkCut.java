package io.github.netvirt.faults;

import io.github.netvirt.faults.rtnl.Rtnl;
import io.github.netvirt.netns.NetNamespace;

/**
 * A cable pulled: the device is set down ({@code ip link set dev DEV down}) until {@link #heal()}
 * sets it up again. With netvirt-core, {@code Topology.down()}/{@code up()} do the same by logical
 * names; this form needs only a namespace and a device name. Cutting one end of a veth takes the
 * carrier away from the other end too.
 */
public final class LinkCut implements Fault {
    private final NetNamespace ns;
    private final String device;
    private final boolean wasUp;
    private boolean active = true;

    private LinkCut(NetNamespace ns, String device, boolean wasUp) {
        this.ns = ns;
        this.device = device;
        this.wasUp = wasUp;
    }

    /** Sets {@code device} of {@code ns} down. Healing restores it only if it was up before. */
    public static LinkCut cut(NetNamespace ns, String device) {
        try (Rtnl rtnl = Rtnl.open(ns)) {
            int index = rtnl.linkIndex(device);
            boolean wasUp = rtnl.isUp(device);
            rtnl.linkSetUp(index, false);
            return new LinkCut(ns, device, wasUp);
        }
    }

    @Override
    public synchronized void heal() {
        if (!active) {
            return;
        }
        active = false;
        if (wasUp && ns.isOpen()) {
            try (Rtnl rtnl = Rtnl.open(ns)) {
                rtnl.linkSetUp(rtnl.linkIndex(device), true);
            }
        }
    }

    @Override
    public synchronized boolean isActive() {
        return active;
    }

    @Override
    public String toString() {
        return "LinkCut[" + device + (active ? ", cut]" : ", healed]");
    }
}
