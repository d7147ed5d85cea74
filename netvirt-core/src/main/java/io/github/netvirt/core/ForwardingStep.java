package io.github.netvirt.core;

import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.Sysctls;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns IPv4 and IPv6 forwarding on in namespace {@code ns}. */
record ForwardingStep(TopologySpec spec, String ns) implements Op {

    @Override
    public List<String> commands() {
        // a write of IPv6's all/forwarding, even of the 1 there, sets every device's forwarding
        return List.of(
                Iproute2.sysctlOn(spec, ns, "ipv4/ip_forward"),
                Iproute2.sysctlOn(spec, ns, "ipv6/conf/all/forwarding"));
    }

    @Override
    public boolean batched() {
        return false;
    }

    @Override
    public void carryOut(Kernel k) {
        Map<String, String> overwritten = new LinkedHashMap<>();
        try {
            Sysctls.of(k.res().hosts.get(ns)).forwardingOn(overwritten);
        } finally {
            if (!overwritten.isEmpty()) {
                k.res().forwardingOverwritten.put(ns, overwritten);
            }
        }
    }

    @Override
    public String subject() {
        return TopologySpec.label(ns);
    }
}
