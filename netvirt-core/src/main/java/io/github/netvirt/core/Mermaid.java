package io.github.netvirt.core;

import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.Kind;
import io.github.netvirt.core.spec.NamespaceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.IpPrefix;
import java.util.HashMap;
import java.util.Map;

/**
 * Renders a topology as a Mermaid flowchart: a subgraph per namespace, a node per device (bridges
 * as hexagons, taps as stadiums), veth pairs as links between namespaces, ports to their bridge,
 * macvlan and vxlan devices to their lower device.
 */
final class Mermaid {
    private final Map<DeviceKey, String> ids = new HashMap<>();
    private final StringBuilder out = new StringBuilder();

    private Mermaid() {}

    static String of(TopologySpec spec) {
        return new Mermaid().render(spec);
    }

    private String render(TopologySpec spec) {
        out.append("flowchart LR\n");
        int n = 0;
        for (NamespaceSpec ns : spec.namespaces()) {
            String title = ns.root() ? "root namespace" : ns.name();
            if (ns.forwarding()) {
                title += " (forwarding)";
            }
            out.append("  subgraph ns")
                    .append(n++)
                    .append("[\"")
                    .append(esc(title))
                    .append("\"]\n");
            for (DeviceSpec d : ns.devices()) {
                out.append("    ").append(id(d.ns(), d.name())).append(shape(d)).append('\n');
            }
            for (var r : ns.routes()) {
                out.append("    %% route ").append(r.iproute2()).append('\n');
            }
            out.append("  end\n");
        }
        for (NamespaceSpec ns : spec.namespaces()) {
            for (DeviceSpec d : ns.devices()) {
                String me = id(d.ns(), d.name());
                if (d.isVeth() && d.creator()) {
                    edge(me, " <-- veth --> ", id(d.peerNs(), d.peerName()));
                }
                if (d.master() != null) {
                    edge(me, " --- ", id(d.ns(), d.master()));
                }
                if (d.lower() != null) {
                    edge(me, " -. " + d.kind().iproute2() + " .-> ", id(d.ns(), d.lower()));
                }
            }
        }
        return out.toString();
    }

    private void edge(String from, String arrow, String to) {
        out.append("  ").append(from).append(arrow).append(to).append('\n');
    }

    private String shape(DeviceSpec d) {
        StringBuilder label = new StringBuilder(esc(d.name()));
        if (d.kind() != Kind.VETH) {
            label.append(" (").append(d.kind().iproute2());
            if (d.settings() != null) {
                label.append(d.settings().summary());
            }
            label.append(")");
        }
        for (IpPrefix a : d.addresses()) {
            label.append("<br/>").append(a);
        }
        if (!d.up()) {
            label.append("<br/>down");
        }
        String l = "\"" + label + "\"";
        switch (d.kind()) {
            case BRIDGE:
                return "{{" + l + "}}";
            case TAP:
                return "([" + l + "])";
            default:
                return "[" + l + "]";
        }
    }

    private String id(String ns, String dev) {
        return ids.computeIfAbsent(new DeviceKey(ns, dev), k -> "d" + ids.size());
    }

    private static String esc(String s) {
        return s.replace("\"", "#quot;").replace("<", "#lt;").replace(">", "#gt;");
    }
}
