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
        return List.of(Iproute2.sysctl(spec, ns, "1", List.of("ipv4/ip_forward", "ipv6/conf/all/forwarding")));
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
