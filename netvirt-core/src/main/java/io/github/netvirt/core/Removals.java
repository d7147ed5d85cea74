package io.github.netvirt.core;

import io.github.netvirt.core.spec.Kind;
import io.github.netvirt.core.spec.TopologySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Takes devices and namespaces out of a builder's description ({@link TopologyBuilder#removeDevice},
 * {@link TopologyBuilder#removeNamespace}), for a change of a live topology. Refuses, as a problem
 * of the description, what would leave something behind that depends on the removed part: a
 * bridge's ports, a macvlan or vxlan on it, a route out of it (unless removeRoute(...) took it out).
 * That is checked once the description is whole ({@link #dependents}, when it is validated), so a
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

    /**
     * Adds a problem for each port, macvlan or vxlan and route of {@code routes} (namespace
     * {@code n}'s, without those removeRoute(...) took out) that the description keeps while the
     * device it depends on was removed, whichever call came first. A device declared again by the
     * removed one's name is what they depend on then.
     */
    static void dependents(Drafts.Ns n, List<Drafts.Route> routes, List<String> problems) {
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
                if (name.equals(r.dev())) {
                    problems.add(what + ": " + r.text() + " in namespace " + label + " goes out of " + name
                            + " (removeRoute(...) it too)");
                }
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
