package io.github.netvirt.core;

import io.github.netvirt.core.spec.TopologySpec;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * What the checks of one validation share: the builder's drafts, the problems found (in the order
 * they are reported), the live topology's description a change began from and what the validation
 * reads of the live topology in the kernel (both null outside a change).
 */
record Validation(
        Map<String, Drafts.Ns> namespaces, List<String> problems, TopologySpec base, Validator.Kernel kernel) {

    /** Whether the live topology a change began from has device {@code d} (false outside a change). */
    boolean isLive(Drafts.Dev d) {
        return base != null
                && base.findNamespace(d.ns).flatMap(x -> x.device(d.name)).isPresent();
    }

    /** A veth end's other end as drafted, or null when its namespace or name is not there. */
    Drafts.Dev peer(Drafts.Dev d) {
        Drafts.Ns peerNs = d.peerNs == null ? null : namespaces.get(d.peerNs);
        return peerNs == null ? null : peerNs.devices.get(d.peerName);
    }

    /** Whether device {@code dev} of {@code ns} has {@code address} in the live topology a change began from. */
    boolean liveAddress(String ns, String dev, InetAddress address) {
        return base != null
                && base.findNamespace(ns)
                        .flatMap(x -> x.device(dev))
                        .filter(x ->
                                x.addresses().stream().anyMatch(a -> a.address().equals(address)))
                        .isPresent();
    }
}
