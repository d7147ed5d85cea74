package io.github.netvirt.core;

import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import java.util.List;

/** Brings a device up. */
record UpStep(TopologySpec spec, DeviceSpec device) implements DeviceStep {

    @Override
    public List<String> commands() {
        return List.of(
                Iproute2.ip(spec, device.ns()) + "link set dev " + TopologySpec.shellWord(device.name()) + " up");
    }

    @Override
    public void carryOut(Kernel k) {
        Integer i = k.index(DeviceKey.of(device));
        if (i != null) {
            k.batch().linkSetUp(i);
        } else {
            k.batch().linkSetUp(device.name());
        }
    }

    @Override
    public String subject() {
        return device.qualifiedName() + " up";
    }
}
