package io.github.netvirt.core.spec;

import java.util.List;
import java.util.Optional;

/**
 * One namespace of a topology. {@code name} is the logical name the API uses; {@code kernelName}
 * is the name under {@code /run/netns} (the topology's prefix + name), null for the root namespace
 * and for ephemeral namespaces. {@code adoption} is how a namespace netvirt did not create is
 * reached (null for the namespaces the topology creates, and for the root namespace); such a
 * namespace has no kernel name of the topology's: it is never created, named or removed.
 */
public record NamespaceSpec(
        String name,
        String kernelName,
        boolean root,
        boolean forwarding,
        List<DeviceSpec> devices,
        List<NamespaceRoute> routes,
        Adoption adoption) {

    public NamespaceSpec {
        devices = List.copyOf(devices);
        routes = List.copyOf(routes);
    }

    /** A namespace the topology creates (or the root namespace). */
    public NamespaceSpec(
            String name,
            String kernelName,
            boolean root,
            boolean forwarding,
            List<DeviceSpec> devices,
            List<NamespaceRoute> routes) {
        this(name, kernelName, root, forwarding, devices, routes, null);
    }

    /** Whether the topology adopts this namespace instead of creating it. */
    public boolean adopted() {
        return adoption != null;
    }

    public Optional<DeviceSpec> device(String dev) {
        return Optional.ofNullable(deviceOrNull(dev));
    }

    DeviceSpec deviceOrNull(String dev) {
        for (DeviceSpec d : devices) {
            if (d.name().equals(dev)) {
                return d;
            }
        }
        return null;
    }
}
