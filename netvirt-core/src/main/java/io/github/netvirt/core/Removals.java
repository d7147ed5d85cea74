package io.github.netvirt.core;

import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.Kind;
import io.github.netvirt.core.spec.NamespaceRoute;
import io.github.netvirt.core.spec.NamespaceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.IpPrefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Takes devices and namespaces out of a builder's description ({@link TopologyBuilder#removeDevice},
 * {@link TopologyBuilder#removeNamespace}), for a change of a live topology. Refuses, as a problem
 * of the description, what would leave something behind that depends on the removed part: a
 * bridge's ports, a macvlan or vxlan on it, a route out of it (unless removeRoute(...) took it out):
 * out of it as declared, or, declared without a device, as the kernel put it there for its gateway.
 * The kernel deletes a route with the device it goes out of, and every IPv4 route out of a device
 * with the device's last IPv4 address (not the IPv6 ones with its last IPv6 address), so a removeAddr(...)
 * that leaves a device of the live topology no IPv4 address is refused likewise. That is checked once
 * the description is whole ({@link #dependents}, {@link #lastIpv4Address}, when it is validated), so a
 * removal may come before or after the removal of what depends on it.
 */
final class Removals {
    private Removals() {}

    /**
     * Removes device {@code name} of {@code ns} (a veth: both ends), telling {@code removed} each
     * device it takes out; false, with the problem added, if there is no such device.
     */
    static boolean device(
            Map<String, Drafts.Ns> namespaces,
            Drafts.Ns ns,
            String name,
            List<String> problems,
            Consumer<DeviceKey> removed) {
        String what = "removeDevice(\"" + name + "\") in namespace " + TopologySpec.label(ns.name);
        Drafts.Dev d = ns.devices.get(name);
        if (d == null || d.kind == null) {
            Drafts.Removal how = ns.removedDevices.get(name);
            problems.add(what + ": " + (how != null ? how.again() : "there is no such device"));
            return false;
        }
        List<Drafts.Dev> ends = new ArrayList<>(List.of(d));
        if (d.kind == Kind.VETH) {
            Drafts.Ns peerNs = namespaces.get(d.peerNs);
            if (peerNs != null && peerNs.devices.get(d.peerName) != null) {
                ends.add(peerNs.devices.get(d.peerName));
            }
        }
        for (Drafts.Dev e : ends) {
            Drafts.Ns at = namespaces.get(e.ns);
            at.devices.remove(e.name);
            at.removedDevices.put(
                    e.name, new Drafts.Removal(what, e == d ? null : TopologySpec.label(ns.name) + "/" + name));
            removed.accept(new DeviceKey(e.ns, e.name));
        }
        return true;
    }

    /**
     * Removes namespace {@code name}, its devices and the other ends of its veths, telling
     * {@code removed} each of those other ends; false, with the problem added, if it may not.
     */
    static boolean namespace(
            Map<String, Drafts.Ns> namespaces, String name, List<String> problems, Consumer<DeviceKey> removed) {
        String what = "removeNamespace(\"" + name + "\")";
        Drafts.Ns n = namespaces.get(name);
        if (n == null || !n.declared) {
            problems.add(what + ": there is no such namespace");
            return false;
        }
        if (n.root || n.adoption != null) {
            problems.add(what + ": the root namespace and adopted namespaces are not removed (remove their devices)");
            return false;
        }
        for (Drafts.Dev d : n.devices.values()) {
            Drafts.Ns at = d.kind == Kind.VETH && !name.equals(d.peerNs) ? namespaces.get(d.peerNs) : null;
            if (at != null && at.devices.get(d.peerName) != null) {
                at.devices.remove(d.peerName);
                at.removedDevices.put(d.peerName, new Drafts.Removal(what, TopologySpec.label(name) + "/" + d.name));
                removed.accept(new DeviceKey(at.name, d.peerName));
            }
        }
        namespaces.remove(name);
        return true;
    }

    /** The device a route goes out of ({@link Output#of}), as validation tells it. */
    interface Outputs {
        /** The device {@code r} of namespace {@code n} goes out of, or null if that is not known. */
        Output of(Drafts.Ns n, Drafts.Route r);
    }

    /**
     * The device {@code dev} a route goes out of: declared ({@code chosen} null), or the one the
     * kernel chose for a route declared without one, for its gateway ({@code chosen} "put", or
     * "would put" for one the change adds).
     */
    record Output(String dev, String chosen) {
        /** How a problem names that {@code r} goes out of this device. */
        String text(Drafts.Route r, String label) {
            return r.text() + " in namespace " + label + " goes out of " + dev
                    + (chosen == null ? "" : ", where the kernel " + chosen + " it for its gateway");
        }
    }

    /**
     * The device a route declared without one, {@code route}, of namespace {@code was} of the live
     * topology (or one a change adds to it) goes out of, as far as the descriptions tell: the one
     * with the longest subnet that holds its gateway, among the devices of {@code was} and those of
     * {@code n} (a change adds before it deletes); null where none has it. Where devices share that
     * subnet, the kernel lists a prefix route of each, the one of the address added first first
     * (appended, fib_magic), and takes the first: the live topology's addresses came before a
     * change's, each of the change's in the order of its description's devices. Between two live
     * devices the description does not tell (a later change may have added the first one's address):
     * the kernel's list does ({@code kernel}; null when it cannot be read).
     */
    static String predictedOutput(NamespaceSpec was, Drafts.Ns n, NamespaceRoute route, Validator.Kernel kernel) {
        if (route.gateway() == null) {
            return null;
        }
        String best = null;
        int longest = -1;
        List<Map.Entry<String, IpPrefix>> addresses = new ArrayList<>();
        for (DeviceSpec d : was.devices()) {
            for (IpPrefix a : d.addresses()) {
                addresses.add(Map.entry(d.name(), a));
            }
        }
        int live = addresses.size(); // the change's come after: a change adds before it deletes
        for (Drafts.Dev d : n.devices.values()) {
            DeviceSpec before = was.devices().stream()
                    .filter(x -> x.name().equals(d.name))
                    .findFirst()
                    .orElse(null);
            for (IpPrefix a : d.kind == null ? List.<IpPrefix>of() : d.addresses) {
                if (before == null || !before.addresses().contains(a)) {
                    addresses.add(Map.entry(d.name, a));
                }
            }
        }
        IpPrefix subnet = null;
        boolean tied = false;
        for (int i = 0; i < addresses.size(); i++) {
            IpPrefix a = addresses.get(i).getValue();
            if (!a.contains(route.gateway()) || a.address().equals(route.gateway())) {
                continue;
            }
            if (a.prefixLength() > longest) {
                best = addresses.get(i).getKey();
                longest = a.prefixLength();
                subnet = a.network();
                tied = false;
            } else if (a.prefixLength() == longest
                    && i < live
                    && !addresses.get(i).getKey().equals(best)) {
                tied = true;
            }
        }
        if (tied) {
            // two live devices on that subnet: which address came first a later change may have decided
            // (an address added to the first device after the second's), so the kernel's order tells
            return kernel == null ? null : kernel.firstOnSubnet(n.name, subnet);
        }
        return best;
    }

    /**
     * Adds a problem for each port, macvlan or vxlan and route of {@code routes} (namespace
     * {@code n}'s, without those removeRoute(...) took out) that the description keeps while the
     * device it depends on was removed, whichever call came first. A device declared again by the
     * removed one's name is what they depend on then.
     */
    static void dependents(Drafts.Ns n, List<Drafts.Route> routes, Outputs outputs, List<String> problems) {
        if (n.removedDevices.isEmpty()) {
            return;
        }
        String label = TopologySpec.label(n.name);
        for (Map.Entry<String, Drafts.Removal> e : n.removedDevices.entrySet()) {
            String name = e.getKey();
            if (declared(n, name)) {
                continue;
            }
            String what = e.getValue().by();
            for (Drafts.Dev x : n.devices.values()) {
                if (x.masters.contains(name)) {
                    problems.add(what + ": " + label + "/" + name + " is the bridge of " + x.name
                            + " (remove that port too)");
                }
                if (name.equals(x.lower)) {
                    problems.add(what + ": " + x.name + " is made on " + label + "/" + name);
                }
            }
            for (Drafts.Route r : routes) {
                Output out = outputs.of(n, r);
                if (out != null && name.equals(out.dev())) {
                    problems.add(what + ": " + out.text(r, label) + " (removeRoute(...) it too)");
                }
            }
        }
    }

    /**
     * Adds a problem for each IPv4 route of {@code routes} (namespace {@code n}'s, without those
     * removeRoute(...) took out) out of a device of the live namespace {@code was} that the change
     * leaves without an IPv4 address: the kernel deletes every IPv4 route out of a device (of any
     * table, whatever its gateway or source) once its last IPv4 address goes, and then the
     * description would list routes the kernel does not. One it adds in the same change keeps them
     * (a change adds before it deletes). Which IPv4 addresses a device has is what {@code kernel}
     * lists for it (null: not known, then what {@code was} declared): an address added by hand keeps
     * the routes, one deleted by hand does not.
     */
    static void lastIpv4Address(
            Drafts.Ns n,
            NamespaceSpec was,
            List<Drafts.Route> routes,
            Outputs outputs,
            Validator.Kernel kernel,
            List<String> problems) {
        String label = TopologySpec.label(n.name);
        for (DeviceSpec d : was.devices()) {
            Drafts.Dev now = n.devices.get(d.name());
            if (now == null
                    || now.kind == null
                    || d.addresses().stream().noneMatch(a -> a.isIpv4() && !now.addresses.contains(a))
                    || now.addresses.stream()
                            .anyMatch(a -> a.isIpv4() && !d.addresses().contains(a))) {
                continue; // it removes none, or adds one
            }
            Boolean last = null;
            for (Drafts.Route r : routes) {
                Output out = r.destination().isIpv4() ? outputs.of(n, r) : null;
                if (out == null || !d.name().equals(out.dev())) {
                    continue;
                }
                if (last == null) {
                    List<IpPrefix> listed = kernel == null ? null : kernel.ipv4Addresses(n.name, d.name());
                    List<IpPrefix> there = listed != null ? listed : d.addresses();
                    // what the change deletes: the live ones the description no longer has
                    last = there.stream()
                                    .anyMatch(
                                            a -> a.isIpv4() && d.addresses().contains(a) && !now.addresses.contains(a))
                            && there.stream()
                                    .noneMatch(a -> a.isIpv4()
                                            && (now.addresses.contains(a)
                                                    || !d.addresses().contains(a)));
                }
                if (!last) {
                    break;
                }
                problems.add("device " + label + "/" + d.name() + ": the change removes its last IPv4 address,"
                        + " and the kernel then deletes every IPv4 route out of it: " + out.text(r, label)
                        + " (removeRoute(...) it too, or keep an IPv4 address on " + d.name() + ")");
            }
        }
    }

    /** Whether the description removed device {@code name} of {@code n} and does not declare it again. */
    static boolean removed(Drafts.Ns n, String name) {
        return n.removedDevices.containsKey(name) && !declared(n, name);
    }

    private static boolean declared(Drafts.Ns n, String name) {
        Drafts.Dev d = n.devices.get(name);
        return d != null && d.kind != null;
    }
}
