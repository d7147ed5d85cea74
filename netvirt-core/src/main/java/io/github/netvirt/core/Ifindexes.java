package io.github.netvirt.core;

import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.Kind;
import io.github.netvirt.core.spec.NamespaceSpec;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The ifindexes of the devices an apply makes, known before their requests where netvirt chooses
 * them (so no request has to look a name up), or learnt from the kernel.
 */
final class Ifindexes {
    private final Map<DeviceKey, Integer> index = new HashMap<>();

    /**
     * Chooses the ifindexes of the devices in the namespaces {@code plan} makes, above every index
     * in use there: a new namespace holds more than {@code lo} when the kernel adds fallback tunnels
     * to each one ({@code tunl0}, {@code sit0}, ... with the ipip, sit or gre modules loaded and
     * {@code net.core.fb_tunnels_only_for_init_net=0}). Taps get theirs from the kernel: the lowest
     * free one from just above the last it chose, so within the first free slots above {@code lo}
     * and the devices already there; the explicit indexes start after as many slots as taps. So
     * does a veth end whose request is made from elsewhere (namespaces made earlier, the root and
     * adopted ones), where the kernel chooses: it takes the peer's ifindex only when the end it
     * creates has one too, and gives the peer the lowest free one otherwise (veth_newlink).
     *
     * @param highest the highest ifindex in use in each namespace made, by logical name ({@link Namespaces})
     */
    void assign(Plan plan, Map<String, Integer> highest) {
        Set<DeviceKey> kernelChosen = new HashSet<>();
        for (Step s : plan.steps()) {
            if (s.op() instanceof LinkAddStep add
                    && add.device().isVeth()
                    && !highest.containsKey(add.device().ns())) {
                kernelChosen.add(
                        new DeviceKey(add.device().peerNs(), add.device().peerName()));
            }
        }
        for (Step s : plan.steps()) {
            if (!(s.op() instanceof NsAddStep add)) {
                continue;
            }
            NamespaceSpec n = add.namespace();
            Integer top = highest.get(n.name());
            if (top == null) {
                continue;
            }
            int next = top + 1;
            for (DeviceSpec d : n.devices()) {
                if (d.kind() == Kind.TAP || kernelChosen.contains(DeviceKey.of(d))) {
                    next++;
                }
            }
            for (DeviceSpec d : n.devices()) {
                if (d.kind() != Kind.TAP && !kernelChosen.contains(DeviceKey.of(d))) {
                    index.put(DeviceKey.of(d), next++);
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
