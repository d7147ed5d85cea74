package io.github.netvirt.core;

import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.Sysctls;
import java.util.List;

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
        Sysctls sys = Sysctls.of(k.res().hosts.get(ns));
        sys.ipv4Forwarding(true);
        sys.ipv6Forwarding(true);
    }

    @Override
    public String subject() {
        return TopologySpec.label(ns);
    }
}
