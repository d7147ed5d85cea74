package io.github.netvirt.core;

import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.netlink.Sysctls;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.tap.TapDevice;
import io.github.netvirt.core.spec.TopologySpec;
import java.util.List;
import java.util.Set;

/** Opens a tap through {@code /dev/net/tun}: it goes with its fd, however the JVM ends. */
record TapAddStep(int index, Set<Integer> needs, TopologySpec spec, DeviceSpec device) implements Step, KernelStep {

    TapAddStep {
        needs = Set.copyOf(needs);
    }

    @Override
    public Action action() {
        return Action.LINK_ADD;
    }

    @Override
    public String ns() {
        return device.ns();
    }

    @Override
    public List<String> commands() {
        String add = Iproute2.ip(spec, device.ns()) + "tuntap add dev " + device.name() + " mode tap";
        // iproute2 can only make a persistent tap; netvirt's is held open by the live topology
        return device.quiet()
                ? List.of(add, Iproute2.exec(spec, device.ns()) + "sysctl -qw net/ipv6/conf/" + device.name() + "/disable_ipv6=1")
                : List.of(add);
    }

    @Override
    public boolean batched() {
        return false;
    }

    @Override
    public void carryOut(Kernel k) {
        NetNamespace ns = k.res().hosts.get(device.ns());
        TapDevice tap = TapDevice.tap(device.name()).open(ns);
        k.res().taps.put(DeviceKey.of(device), tap);
        if (device.quiet()) {
            // before the device goes up: its first IPv6 frames leave the moment it is up
            Sysctls.of(ns).ipv6Disabled(device.name(), true);
        }
        k.indexed(DeviceKey.of(device), k.res().handle(device.ns()).linkIndex(device.name()));
    }

    @Override
    public Step at(int i, Set<Integer> n) {
        return new TapAddStep(i, n, spec, device);
    }

    @Override
    public String describe() {
        return KernelStep.head(this) + "tap " + device.qualifiedName();
    }

    @Override
    public String toString() {
        return describe();
    }
}
