package io.github.netvirt.core;

import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.Sysctls;
import java.util.List;

/**
 * Turns IPv6 duplicate address detection off in namespace {@code ns}, one netvirt made before its
 * topology had IPv6 ({@link NsAddStep#noDad()} was false): for the devices made there after
 * ({@code net.ipv6.conf.default.accept_dad=0}) and for the topology's {@code devices} there now (each
 * one's {@code accept_dad=0}), as an apply of a topology with IPv6 leaves them; the others there
 * ({@code lo}, any the kernel made with the namespace) keep theirs, as after such an apply. Otherwise
 * a device made there, by this change or a later one, would have a tentative link-local address for
 * 1-2 s, and so would one there now after a down and up (the DAD of those there now, begun when they
 * came up, goes on: {@link Applier} waits for it). Only in the change that gives the topology its
 * first IPv6 address or route, before anything it makes in {@code ns} ({@link Delta}); the change
 * reads the values first and writes them back if it fails ({@link LiveChange}).
 */
record DadOffStep(TopologySpec spec, String ns, List<String> devices) implements DadStep {

    DadOffStep {
        devices = List.copyOf(devices);
    }

    @Override
    public List<String> commands() {
        return List.of(Iproute2.acceptDad(spec, ns, "0", devices));
    }

    @Override
    public boolean batched() {
        return false;
    }

    @Override
    public void carryOut(Kernel k) {
        Sysctls.of(k.res().hosts.get(ns)).ipv6Dad(devicesNow(k.res()), false);
    }

    @Override
    public String subject() {
        return TopologySpec.label(ns);
    }
}
