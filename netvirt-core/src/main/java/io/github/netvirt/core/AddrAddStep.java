package io.github.netvirt.core;

import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.NamespaceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.AddressSpec;
import io.github.netvirt.netlink.IpPrefix;
import java.util.List;

/**
 * Adds an address to a device. An IPv6 address in a namespace netvirt made goes without duplicate
 * address detection ({@code nodad}, as Docker gives its containers' addresses): nothing but the
 * topology shares its links, and validation refuses the topology's own duplicates there. Elsewhere
 * (the root namespace, adopted ones) foreign hosts may share the link: the kernel's DAD runs and
 * apply waits for it ({@link #keepsDad()}).
 */
record AddrAddStep(TopologySpec spec, DeviceSpec device, IpPrefix address) implements DeviceStep {

    @Override
    public List<String> commands() {
        return List.of(Iproute2.ip(spec, device.ns()) + "address add " + address + " dev "
                + TopologySpec.shellWord(device.name()) + (noDad() ? " nodad" : ""));
    }

    @Override
    public void carryOut(Kernel k) {
        DeviceKey key = DeviceKey.of(device);
        Integer i = k.index(key);
        AddressSpec a = i != null ? AddressSpec.of(i, address) : AddressSpec.of(device.name(), address);
        Resources res = k.res();
        k.batch()
                .addrAdd(noDad() ? a.noDad() : a, () -> res.addressesMade.add(new Resources.MadeAddress(key, address)));
    }

    /** An IPv6 address in a namespace netvirt made: added without DAD. */
    boolean noDad() {
        return address.isIpv6() && made(spec.namespace(device.ns()));
    }

    /** An IPv6 address in the root or an adopted namespace: the kernel's DAD runs, and apply waits for it. */
    boolean keepsDad() {
        return address.isIpv6() && !made(spec.namespace(device.ns()));
    }

    private static boolean made(NamespaceSpec n) {
        return !n.root() && !n.adopted();
    }

    @Override
    public String subject() {
        return address + " dev " + device.qualifiedName();
    }
}
