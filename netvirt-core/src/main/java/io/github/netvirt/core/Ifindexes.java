package io.github.netvirt.core;

import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.NamespaceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ObjIntConsumer;
import java.util.function.ToIntFunction;

/**
 * The ifindexes of the devices an apply makes, known before their requests where netvirt chooses
 * them (so no request has to look a name up), or learnt from the kernel.
 */
final class Ifindexes {
    /**
     * The indexes up to this one are the kernel's: netvirt numbers the devices of the namespaces it
     * makes above it. The kernel numbers a device made without an index from just above the last
     * index it chose itself in that namespace (cyclically, skipping those in use), blind to the
     * indexes requested explicitly; it starts at 2, and would have to number this many devices in one
     * namespace to reach netvirt's. Each side counts only upwards, so no index is handed out twice in
     * a namespace a topology made: not netvirt's (above its mark), and not the kernel's, whatever
     * devices others made and removed there (a tap of netvirt-faults' {@code ImpairedLink}, a
     * program's), nor the fallback tunnels the kernel puts in a new namespace (tunl0, sit0, ... with
     * the ipip, sit or gre modules loaded).
     */
    static final int KERNELS = 1 << 24;

    private final Map<DeviceKey, Integer> index = new HashMap<>();

    /**
     * Chooses the ifindexes of the devices {@code plan} makes in the namespaces the topology made,
     * above every index it ever chose or saw there during the topology's life ({@code marks}, which
     * this raises): netvirt knows its devices by namespace and ifindex (a link cut's record, link
     * conditions, routes' output devices, the crash record), so a removed device's index is never
     * handed to a new one. In a namespace {@code plan} makes, from just above {@link #KERNELS}. Taps
     * are numbered too: their open asks for the index (TUNSETIFINDEX). A veth with an end in the root
     * or an adopted namespace is made from its other end ({@link Planner}), so that end is numbered
     * here and the kernel numbers the one outside. In a namespace made before (a change), above its
     * mark, or above what is in use there now when someone else made a device above it since.
     *
     * @param made the namespaces made just now, by logical name ({@link Namespaces})
     * @param marks the highest ifindex chosen or seen in each namespace the topology made, by logical name
     * @param inUse the highest ifindex in use now in a namespace made before, by logical name
     */
    void assign(Plan plan, Set<String> made, Map<String, Integer> marks, ToIntFunction<String> inUse) {
        for (Step s : plan.steps()) {
            if (!(s.op() instanceof NsAddStep add)
                    || !made.contains(add.namespace().name())) {
                continue;
            }
            NamespaceSpec n = add.namespace();
            int next = KERNELS + 1;
            for (DeviceSpec d : n.devices()) {
                index.put(DeviceKey.of(d), next++);
            }
            marks.put(n.name(), next - 1);
        }
        if (plan.base() == null) {
            return; // an apply: every namespace the topology has was made just now
        }
        Set<String> read = new HashSet<>(made);
        for (Step s : plan.steps()) {
            if (s.op() instanceof LinkAddStep add) {
                DeviceSpec d = add.device();
                for (String ns : List.of(d.ns(), d.isVeth() ? d.peerNs() : d.ns())) {
                    if (marks.containsKey(ns) && read.add(ns)) {
                        marks.put(ns, Math.max(marks.get(ns), inUse.applyAsInt(ns)));
                    }
                }
                choose(d, marks);
                if (d.isVeth()) {
                    choose(add.spec().device(d.peerNs(), d.peerName()), marks);
                }
            }
        }
    }

    /** Gives {@code d}, not numbered yet, the index above its namespace's mark, when the topology made it. */
    private void choose(DeviceSpec d, Map<String, Integer> marks) {
        DeviceKey key = DeviceKey.of(d);
        Integer mark = marks.get(d.ns());
        if (mark != null && !index.containsKey(key)) {
            int next = above(mark, d.ns());
            index.put(key, next);
            marks.put(d.ns(), next);
        }
    }

    /**
     * The index after {@code mark} in namespace {@code ns}.
     *
     * @throws IllegalStateException when {@code mark} is the highest there is (a device someone made
     *     there at ifindex 2^31 - 1): no index above it is left to hand out
     */
    static int above(int mark, String ns) {
        if (mark == Integer.MAX_VALUE) {
            throw new IllegalStateException("no ifindex is left above " + mark + " in namespace "
                    + TopologySpec.label(ns) + ": a device there has the highest there is, and netvirt numbers"
                    + " its devices above every index it saw in use there");
        }
        return mark + 1;
    }

    /**
     * Tells {@code made} the index chosen for each device {@code plan} makes in a namespace the topology
     * made (veth peers included), before the device is made.
     */
    void chosen(Plan plan, ObjIntConsumer<DeviceKey> made) {
        for (Step s : plan.steps()) {
            if (s.op() instanceof LinkAddStep add) {
                DeviceSpec d = add.device();
                List<DeviceSpec> ends =
                        d.isVeth() ? List.of(d, add.spec().device(d.peerNs(), d.peerName())) : List.of(d);
                for (DeviceSpec e : ends) {
                    Integer i = index.get(DeviceKey.of(e));
                    NamespaceSpec n = add.spec().namespace(e.ns());
                    if (i != null && !n.root() && !n.adopted()) {
                        made.accept(DeviceKey.of(e), i);
                    }
                }
            }
        }
    }

    /** The ifindex of {@code dev}, or null when the kernel has not told it yet. */
    Integer get(DeviceKey dev) {
        return index.get(dev);
    }

    void put(DeviceKey dev, int ifindex) {
        index.put(dev, ifindex);
    }
}
