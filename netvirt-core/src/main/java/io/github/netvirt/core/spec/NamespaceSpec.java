package io.github.netvirt.core.spec;

import java.util.List;
import java.util.Optional;

/**
 * One namespace of a topology. {@code name} is the logical name the API uses; {@code kernelName}
 * is the name under {@code /run/netns} (the topology's prefix + name), null for the root namespace
 * and for ephemeral namespaces.
 */
public record NamespaceSpec(String name, String kernelName, boolean root, boolean forwarding,
                            List<DeviceSpec> devices, List<RouteSpec> routes) {

    public NamespaceSpec {
        devices = List.copyOf(devices);
        routes = List.copyOf(routes);
    }

    public Optional<DeviceSpec> device(String dev) {
        return devices.stream().filter(d -> d.name().equals(dev)).findFirst();
    }
}
