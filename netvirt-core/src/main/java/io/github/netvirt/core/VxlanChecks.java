package io.github.netvirt.core;

import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.VxlanSettings;
import io.github.netvirt.netns.Names;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The vxlans of a namespace the kernel takes for one (a VNI, UDP port and family), and what makes a vxlan IPv6. */
final class VxlanChecks {
    private VxlanChecks() {}

    /**
     * Two vxlans of one namespace the kernel cannot tell apart on receipt (vxlan_vni_in_use: the same
     * VNI, UDP port and family, whatever their addresses: EEXIST). It does tell a device with an IPv6
     * link-local address from one on another lower device, but only when the link-local one is made
     * second: such a pair is left to the kernel.
     */
    static void checkVnis(String label, List<DeviceSpec> devices, List<String> problems) {
        List<DeviceSpec> vxlans = null;
        for (DeviceSpec d : devices) {
            if (!(d.settings() instanceof VxlanSettings x)) {
                continue;
            }
            if (vxlans == null) {
                vxlans = new ArrayList<>();
            }
            for (DeviceSpec e : vxlans) {
                VxlanSettings y = (VxlanSettings) e.settings();
                if (sameVni(x, d.lower(), y, e.lower())) {
                    problems.add("device " + label + "/" + Names.printable(d.name()) + ": VNI " + x.vni()
                            + " on UDP port " + x.dstPort() + (ipv6(x) ? " (IPv6)" : " (IPv4)") + " is "
                            + e.name() + "'s already: the kernel takes one vxlan per VNI, UDP port and address family"
                            + " in a namespace, whatever their remote and local addresses (it would refuse it:"
                            + " EEXIST)");
                    break;
                }
            }
            vxlans.add(d);
        }
    }

    /**
     * Whether the kernel takes vxlans {@code x} (on lower device {@code xLower}) and {@code y} for one:
     * the same VNI, UDP port and address family, and, where one is link-local, the same lower device.
     */
    static boolean sameVni(VxlanSettings x, String xLower, VxlanSettings y, String yLower) {
        return x.vni() == y.vni()
                && x.dstPort() == y.dstPort()
                && ipv6(x) == ipv6(y)
                && (!linkLocal(x) && !linkLocal(y) || Objects.equals(xLower, yLower));
    }

    /** Whether the kernel makes the vxlan an IPv6 one (VXLAN_F_IPV6): any of its addresses is IPv6. */
    static boolean ipv6(VxlanSettings x) {
        return x.remote() instanceof Inet6Address
                || x.group() instanceof Inet6Address
                || x.local() instanceof Inet6Address;
    }

    /** Whether the kernel marks the vxlan link-local (VXLAN_F_IPV6_LINKLOCAL): its local or remote address is. */
    private static boolean linkLocal(VxlanSettings x) {
        return x.local() instanceof Inet6Address && x.local().isLinkLocalAddress()
                || x.remote() instanceof Inet6Address && x.remote().isLinkLocalAddress();
    }
}
