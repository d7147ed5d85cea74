package io.github.netvirt.core;

import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import java.util.List;

/** Makes a device a port of its bridge. */
record MasterStep(TopologySpec spec, DeviceSpec device) implements DeviceStep {

    @Override
    public List<String> commands() {
        return List.of(Iproute2.ip(spec, device.ns()) + "link set dev " + TopologySpec.shellWord(device.name())
                + " master " + TopologySpec.shellWord(device.master()));
    }

    @Override
    public void carryOut(Kernel k) {
        Integer i = k.index(DeviceKey.of(device));
        Integer m = k.index(new DeviceKey(device.ns(), device.master()));
        if (i != null && m != null) {
            k.batch().linkSetMaster(i, m);
        } else {
            k.batch().linkSetMaster(device.name(), device.master());
        }
    }

    @Override
    public String subject() {
        return device.qualifiedName() + " master " + device.master();
    }
}
