package io.github.netvirt.core.spec;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * A validated description of a network: namespaces in declaration order, each with its devices and
 * routes. Immutable; {@code TopologyBuilder} makes it, the planner compiles it into steps.
 */
public record TopologySpec(String prefix, boolean ephemeral, List<NamespaceSpec> namespaces) {
    /** The logical name of the root namespace (never a valid namespace name, so it cannot clash). */
    public static final String ROOT = "/";

    public TopologySpec {
        namespaces = List.copyOf(namespaces);
    }

    public Optional<NamespaceSpec> findNamespace(String name) {
        return namespaces.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    public NamespaceSpec namespace(String name) {
        return findNamespace(name).orElseThrow(() -> new NoSuchElementException("no namespace " + label(name)
                + " in this topology"));
    }

    public DeviceSpec device(String ns, String dev) {
        return namespace(ns).device(dev).orElseThrow(() -> new NoSuchElementException("no device " + dev
                + " in namespace " + label(ns) + " of this topology"));
    }

    /** How messages print a logical namespace name. */
    public static String label(String ns) {
        return ROOT.equals(ns) ? "(root)" : ns;
    }
}
