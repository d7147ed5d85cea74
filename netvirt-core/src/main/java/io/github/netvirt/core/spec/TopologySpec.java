package io.github.netvirt.core.spec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated description of a network: namespaces in declaration order, each with its devices and
 * routes. Immutable; {@code TopologyBuilder} makes it, the planner compiles it into steps. Looking a
 * namespace up by name takes constant time (the planner does it for every step: a star of 1000 hosts
 * would otherwise spend longer planning than the kernel spends building it).
 */
public final class TopologySpec {
    /** The logical name of the root namespace (never a valid namespace name, so it cannot clash). */
    public static final String ROOT = "/";

    private final String prefix;
    private final boolean ephemeral;
    private final List<NamespaceSpec> namespaces;
    private final Map<String, NamespaceSpec> byName;

    public TopologySpec(String prefix, boolean ephemeral, List<NamespaceSpec> namespaces) {
        this.prefix = prefix;
        this.ephemeral = ephemeral;
        this.namespaces = List.copyOf(namespaces);
        this.byName = new HashMap<>(this.namespaces.size() * 2);
        for (NamespaceSpec n : this.namespaces) {
            byName.putIfAbsent(n.name(), n); // the first of a name, as a search in order finds it
        }
    }

    public String prefix() {
        return prefix;
    }

    public boolean ephemeral() {
        return ephemeral;
    }

    public List<NamespaceSpec> namespaces() {
        return namespaces;
    }

    public Optional<NamespaceSpec> findNamespace(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    // no Optional or lambda on the way: the planner looks devices up many times while it runs interpreted
    public NamespaceSpec namespace(String name) {
        NamespaceSpec n = byName.get(name);
        if (n == null) {
            throw new NoSuchElementException("no namespace " + label(name) + " in this topology");
        }
        return n;
    }

    public DeviceSpec device(String ns, String dev) {
        DeviceSpec d = namespace(ns).deviceOrNull(dev);
        if (d == null) {
            throw new NoSuchElementException("no device " + dev + " in namespace " + label(ns) + " of this topology");
        }
        return d;
    }

    /**
     * {@code s} as one word of a POSIX shell command: as it is when nothing in it is special to the
     * shell, else in single quotes. Every name in a plan's commands and {@code toScript()} goes through
     * it: the kernel accepts names such as {@code br(0)} or {@code a;b}.
     */
    public static String shellWord(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!Character.isLetterOrDigit(c) && "-_.+@=,%/".indexOf(c) < 0) {
                return "'" + s.replace("'", "'\\''") + "'";
            }
        }
        return s;
    }

    /** How messages print a logical namespace name. */
    public static String label(String ns) {
        return ROOT.equals(ns) ? "(root)" : ns;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopologySpec t
                && ephemeral == t.ephemeral
                && Objects.equals(prefix, t.prefix)
                && namespaces.equals(t.namespaces);
    }

    @Override
    public int hashCode() {
        return Objects.hash(prefix, ephemeral, namespaces);
    }

    @Override
    public String toString() {
        return "TopologySpec[prefix=" + prefix + ", ephemeral=" + ephemeral + ", namespaces=" + namespaces + "]";
    }
}
