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
 */
final class Removals {
    private Removals() {}

    /**
     * Removes device {@code name} of {@code ns} (a veth: both ends), telling {@code removed} each
     * device it takes out; false, with the problem added, if it may not.
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
            String how = ns.removedDevices.get(name);
            problems.add(what + ": " + (how != null ? how : "there is no such device"));
            return false;
        }
        List<Drafts.Dev> ends = new ArrayList<>(List.of(d));
        if (d.kind == Kind.VETH) {
            Drafts.Ns peerNs = namespaces.get(d.peerNs);
            if (peerNs != null && peerNs.devices.get(d.peerName) != null) {
                ends.add(peerNs.devices.get(d.peerName));
            }
        }
        if (!independent(namespaces, ends, what, problems)) {
            return false;
        }
        for (Drafts.Dev e : ends) {
            Drafts.Ns at = namespaces.get(e.ns);
            at.devices.remove(e.name);
            at.removedDevices.put(
                    e.name,
                    what + " removed it already"
                            + (e == d ? "" : ", the other end of veth " + TopologySpec.label(ns.name) + "/" + name));
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
        List<Drafts.Dev> peers = new ArrayList<>();
        for (Drafts.Dev d : n.devices.values()) {
            if (d.kind == Kind.VETH
                    && !name.equals(d.peerNs)
                    && namespaces.get(d.peerNs) != null
                    && namespaces.get(d.peerNs).devices.get(d.peerName) != null) {
                peers.add(namespaces.get(d.peerNs).devices.get(d.peerName));
            }
        }
        if (!independent(namespaces, peers, what, problems)) {
            return false;
        }
        for (Drafts.Dev p : peers) {
            Drafts.Ns at = namespaces.get(p.ns);
            at.devices.remove(p.name);
            at.removedDevices.put(
                    p.name,
                    what + " removed it already, the other end of veth " + TopologySpec.label(name) + "/" + p.peerName);
            removed.accept(new DeviceKey(p.ns, p.name));
        }
        namespaces.remove(name);
        return true;
    }

    /** Whether nothing but {@code ends} themselves depends on them. */
    private static boolean independent(
            Map<String, Drafts.Ns> namespaces, List<Drafts.Dev> ends, String what, List<String> problems) {
        boolean ok = true;
        for (Drafts.Dev e : ends) {
            Drafts.Ns n = namespaces.get(e.ns);
            for (Drafts.Dev x : n.devices.values()) {
                if (ends.contains(x)) {
                    continue;
                }
                if (x.masters.contains(e.name)) {
                    problems.add(what + ": " + TopologySpec.label(e.ns) + "/" + e.name + " is the bridge of " + x.name
                            + " (remove that port first)");
                    ok = false;
                }
                if (e.name.equals(x.lower)) {
                    problems.add(what + ": " + x.name + " is made on " + TopologySpec.label(e.ns) + "/" + e.name);
                    ok = false;
                }
            }
            for (Drafts.Route r : n.routes) {
                if (e.name.equals(r.dev())
                        && n.removedRoutes.stream().noneMatch(x -> x.key().equals(r.key()))) {
                    problems.add(what + ": " + r.text() + " in namespace " + TopologySpec.label(e.ns) + " goes out of "
                            + e.name + " (removeRoute(...) it first)");
                    ok = false;
                }
            }
        }
        return ok;
    }
}
