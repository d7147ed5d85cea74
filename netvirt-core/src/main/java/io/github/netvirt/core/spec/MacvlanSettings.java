package io.github.netvirt.core.spec;

import io.github.netvirt.netlink.LinkSpec;
import io.github.netvirt.netlink.MacvlanMode;
import java.util.List;

/** A macvlan's mode; its lower device is {@link DeviceSpec#lower()}. */
public record MacvlanSettings(MacvlanMode mode) implements DeviceSettings {

    @Override
    public List<String> problems(DeviceSpec device) {
        return mode == null ? List.of("a macvlan needs a mode") : List.of();
    }

    @Override
    public String iproute2(DeviceSpec device) {
        return " link " + TopologySpec.shellWord(device.lower()) + " type macvlan mode " + mode.iproute2();
    }

    @Override
    public LinkSpec<?> request(DeviceSpec device, Integer lower) {
        return (lower != null
                        ? LinkSpec.macvlan(device.name(), lower)
                        : LinkSpec.macvlan(device.name(), device.lower()))
                .mode(mode);
    }
}
