package io.github.netvirt.core;

import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import java.util.List;

/** Sets a tap's MTU and MAC address (other kinds get them in the request that creates them). */
record LinkSetStep(TopologySpec spec, DeviceSpec device) implements DeviceStep {

    @Override
    public List<String> commands() {
        return List.of(Iproute2.ip(spec, device.ns()) + "link set dev " + TopologySpec.shellWord(device.name())
                + Iproute2.settings(device));
    }

    @Override
    public void carryOut(Kernel k) {
        Integer i = k.index(DeviceKey.of(device));
        if (device.mtu() > 0) {
            if (i != null) {
                k.batch().linkSetMtu(i, device.mtu());
            } else {
                k.batch().linkSetMtu(device.name(), device.mtu());
            }
        }
        if (device.mac() != null) {
            if (i != null) {
                k.batch().linkSetMac(i, device.mac());
            } else {
                k.batch().linkSetMac(device.name(), device.mac());
            }
        }
    }

    @Override
    public String subject() {
        return device.qualifiedName() + Iproute2.settings(device);
    }
}
