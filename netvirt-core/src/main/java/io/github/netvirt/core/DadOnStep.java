package io.github.netvirt.core;

import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.Sysctls;
import java.util.List;

/**
 * Turns IPv6 duplicate address detection on again in namespace {@code ns}, one netvirt made, for the
 * devices made there after ({@code net.ipv6.conf.default.accept_dad=1}, the kernel's default) and for
 * the topology's {@code devices} there now: what {@link DadOffStep} (or an apply with IPv6) turned off,
 * as an apply of a topology without IPv6 leaves them. Only in the change that removes the topology's
 * last IPv6 address and route, before anything it makes in {@code ns} ({@link Delta}); the change
 * reads the values first and writes them back if it fails ({@link LiveChange}).
 */
record DadOnStep(TopologySpec spec, String ns, List<String> devices) implements DadStep {

    DadOnStep {
        devices = List.copyOf(devices);
    }

    @Override
    public List<String> commands() {
        return List.of(Iproute2.acceptDad(spec, ns, "1", devices));
    }

    @Override
    public boolean batched() {
        return false;
    }

    @Override
    public void carryOut(Kernel k) {
        Sysctls.of(k.res().hosts.get(ns)).ipv6Dad(devicesNow(k.res()), true);
    }

    @Override
    public String subject() {
        return TopologySpec.label(ns);
    }
}
