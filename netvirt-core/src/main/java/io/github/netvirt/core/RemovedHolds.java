package io.github.netvirt.core;

import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.Kind;
import io.github.netvirt.core.spec.MacvlanSettings;
import io.github.netvirt.core.spec.NamespaceSpec;
import io.github.netvirt.core.spec.VxlanSettings;
import io.github.netvirt.netlink.MacvlanMode;
import io.github.netvirt.netns.Names;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a device a change adds would take from a device the change removes. A change adds before it
 * deletes (so that a failure leaves the network as it was), and until the delete the kernel holds,
 * in a namespace, a vxlan's VNI, UDP port and family (EEXIST), a macvlan's MAC on its lower device
 * (EADDRINUSE) and a passthru macvlan's lower device, which takes no other macvlan (EINVAL).
 */
final class RemovedHolds {
    private RemovedHolds() {}

    /**
     * Adds to {@code problems} each device of {@code devices} (namespace {@code label} as the change
     * leaves it) that would take what a device of {@code was} (the namespace in the live topology)
     * that the change removes holds.
     */
    static void check(String label, NamespaceSpec was, List<DeviceSpec> devices, List<String> problems) {
        Map<String, DeviceSpec> now = new HashMap<>();
        for (DeviceSpec d : devices) {
            now.put(d.name(), d);
        }
        List<DeviceSpec> removed =
                was.devices().stream().filter(d -> !now.containsKey(d.name())).toList();
        if (removed.isEmpty()) {
            return;
        }
        Map<String, DeviceSpec> all = new HashMap<>(now);
        for (DeviceSpec d : was.devices()) {
            all.putIfAbsent(d.name(), d);
        }
        for (DeviceSpec d : devices) {
            if (was.device(d.name()).isPresent()) {
                continue; // the live topology's own
            }
            for (DeviceSpec r : removed) {
                String held = held(d, r, all);
                if (held != null) {
                    problems.add("device " + label + "/" + Names.printable(d.name()) + ": " + held + " while "
                            + r.name() + ", which this change removes, is there: a change adds before it deletes"
                            + " (so that a failure leaves the network as it was); remove " + r.name()
                            + " in one change and add " + Names.printable(d.name()) + " in the next");
                    break;
                }
            }
        }
    }

    /** What of {@code r}'s {@code d} would take, as the kernel's refusal; null when nothing. */
    private static String held(DeviceSpec d, DeviceSpec r, Map<String, DeviceSpec> all) {
        if (d.settings() instanceof VxlanSettings x && r.settings() instanceof VxlanSettings y) {
            if (VxlanChecks.sameVni(x, d.lower(), y, r.lower())) {
                return "VNI " + x.vni() + " on UDP port " + x.dstPort() + (VxlanChecks.ipv6(x) ? " (IPv6)" : " (IPv4)")
                        + " is " + r.name() + "'s, and the kernel would refuse a second (EEXIST)";
            }
            return null;
        }
        if (d.kind() != Kind.MACVLAN || r.kind() != Kind.MACVLAN) {
            return null;
        }
        String lower = realLower(d, all);
        if (lower == null || !lower.equals(realLower(r, all))) {
            return null;
        }
        if (passthru(d) || passthru(r)) {
            return "a passthru macvlan is the only macvlan on its lower device " + lower + ", which " + r.name()
                    + " is on too, and the kernel would refuse the second (EINVAL)";
        }
        if (d.mac() != null && d.mac().equals(r.mac())) {
            return "MAC " + d.mac() + " is " + r.name() + "'s, on the same lower device " + lower
                    + ", and the kernel would refuse it (EADDRINUSE)";
        }
        return null;
    }

    private static boolean passthru(DeviceSpec d) {
        return d.settings() instanceof MacvlanSettings m && m.mode() == MacvlanMode.PASSTHRU;
    }

    /** The device a macvlan sits on: its lower device, or that one's if that is a macvlan too. */
    private static String realLower(DeviceSpec d, Map<String, DeviceSpec> all) {
        String lower = d.lower();
        for (int depth = 0; lower != null && depth < all.size(); depth++) {
            DeviceSpec l = all.get(lower);
            if (l == null || l.kind() != Kind.MACVLAN || Objects.equals(l.lower(), lower)) {
                return lower;
            }
            lower = l.lower();
        }
        return lower;
    }
}
