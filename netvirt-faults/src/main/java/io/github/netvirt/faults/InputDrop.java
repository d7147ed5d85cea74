package io.github.netvirt.faults;

import io.github.netvirt.netlink.nftables.Expr;
import io.github.netvirt.netlink.nftables.Hook;
import io.github.netvirt.netlink.nftables.Match;
import io.github.netvirt.netns.NetNamespace;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Drops incoming packets from a set of source addresses (all of them, or a fraction chosen by
 * nftables' {@code numgen random}), optionally only those of flows on one {@link Port}. Dropping on
 * input rather than output keeps the loss silent for the sender, as on a real broken path.
 */
final class InputDrop {
    static final int MODULUS = 10000;

    private InputDrop() {}

    /** The rules: per source address, and per port end (destination, source) when a port is given. */
    static List<FilterTable.Entry> rules(Collection<InetAddress> sources, Port port, double fraction) {
        List<FilterTable.Entry> out = new ArrayList<>();
        for (InetAddress a : sources) {
            List<List<Expr>> portMatches = port == null
                    ? List.of(List.of())
                    : List.of(
                            Match.destinationPort(port.protocol(), port.number()),
                            Match.sourcePort(port.protocol(), port.number()));
            for (List<Expr> pm : portMatches) {
                List<Expr> m = new ArrayList<>(Match.source(a));
                m.addAll(pm);
                if (fraction < 1.0) {
                    m.addAll(Match.random(MODULUS, (int) Math.max(1, Math.round(fraction * MODULUS))));
                }
                out.add(new FilterTable.Entry(Hook.INPUT, m, Expr.drop()));
            }
        }
        return out;
    }

    static FilterTable install(NetNamespace ns, Collection<InetAddress> sources, Port port, double fraction) {
        return FilterTable.install(ns, rules(sources, port, fraction));
    }
}
