package io.github.netvirt.faults;

import io.github.netvirt.netns.NetNamespace;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One nftables table in one namespace that drops incoming packets from a set of source addresses
 * (all of them, or a fraction chosen by nftables' {@code numgen random}). Dropping on input
 * rather than output keeps the loss silent for the sender, as on a real broken path.
 */
final class InputDrop {
    private final NetNamespace ns;
    private final String table;

    private InputDrop(NetNamespace ns, String table) {
        this.ns = ns;
        this.table = table;
    }

    static String script(String table, Collection<InetAddress> sources, double fraction) {
        List<String> v4 = new ArrayList<>();
        List<String> v6 = new ArrayList<>();
        for (InetAddress a : sources) {
            (a instanceof Inet4Address ? v4 : v6).add(a.getHostAddress());
        }
        String match = fraction >= 1.0 ? "" : "numgen random mod 10000 < " + Math.round(fraction * 10000) + " ";
        StringBuilder s = new StringBuilder();
        s.append("table inet ").append(table).append(" {\n");
        s.append("  chain input {\n    type filter hook input priority -10; policy accept;\n");
        if (!v4.isEmpty()) {
            s.append("    ip saddr { ").append(String.join(", ", v4)).append(" } ").append(match).append("drop\n");
        }
        if (!v6.isEmpty()) {
            s.append("    ip6 saddr { ").append(String.join(", ", v6)).append(" } ").append(match).append("drop\n");
        }
        s.append("  }\n}\n");
        return s.toString();
    }

    static InputDrop install(NetNamespace ns, Collection<InetAddress> sources, double fraction) {
        String table = Nft.newTable();
        Nft.run(ns, script(table, sources, fraction));
        return new InputDrop(ns, table);
    }

    void remove() {
        if (ns.isOpen()) {
            Nft.run(ns, "delete table inet " + table + "\n");
        }
    }

    static String describe(Collection<InetAddress> sources) {
        return sources.stream().map(InetAddress::getHostAddress).collect(Collectors.joining(", "));
    }
}
