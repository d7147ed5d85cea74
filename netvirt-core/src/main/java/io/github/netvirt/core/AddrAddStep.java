package io.github.netvirt.core;

import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.AddressSpec;
import io.github.netvirt.netlink.IpPrefix;
import java.util.List;

/** Adds an address to a device. */
record AddrAddStep(TopologySpec spec, DeviceSpec device, IpPrefix address) implements DeviceStep {

    @Override
    public List<String> commands() {
        return List.of(Iproute2.ip(spec, device.ns()) + "address add " + address + " dev "
                + TopologySpec.shellWord(device.name()));
    }

    @Override
    public void carryOut(Kernel k) {
        Integer i = k.index(DeviceKey.of(device));
        k.batch().addrAdd(i != null ? AddressSpec.of(i, address) : AddressSpec.of(device.name(), address));
    }

    @Override
    public String subject() {
        return address + " dev " + device.qualifiedName();
    }
}
