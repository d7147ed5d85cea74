package io.github.netvirt.core;

import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.AddressSpec;
import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.sys.Errno;
import java.util.List;
import java.util.OptionalInt;

/** Deletes an address of a device, only in a change of a live topology. */
record AddrDelStep(TopologySpec spec, DeviceSpec device, IpPrefix address) implements DeviceStep {

    @Override
    public List<String> commands() {
        return List.of(Iproute2.ip(spec, device.ns()) + "address del " + address + " dev "
                + TopologySpec.shellWord(device.name()));
    }

    @Override
    public boolean batched() {
        return false;
    }

    @Override
    public void carryOut(Kernel k) {
        NetlinkHandle h = k.res().handle(device.ns());
        OptionalInt index = k.res().ownIndex(spec, device.ns(), device.name());
        if (index.isEmpty()) {
            return;
        }
        try {
            h.addrDel(AddressSpec.of(index.getAsInt(), address));
        } catch (NetlinkException e) {
            // gone already: setting the device down (Topology.down) took its IPv6 addresses
            if (!e.is(Errno.EADDRNOTAVAIL)) {
                throw e;
            }
        }
    }

    @Override
    public String subject() {
        return address + " dev " + device.qualifiedName();
    }
}
