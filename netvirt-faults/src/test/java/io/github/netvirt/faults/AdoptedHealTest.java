package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.core.Topology;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults in namespaces a topology adopted (made by someone else, {@code ip netns add}, outliving the
 * topology) are healed when the topology closes, and a heal after that close reports what is true:
 * the namespaces' nftables ruleset, the script's veth (up, with its route) and its qdiscs are as
 * before the faults.
 */
@RequiresRoot
class AdoptedHealTest {
    private final String p = TestNames.unique("fa");
    private final String app = p + "-app";
    private final String db = p + "-db";
    private final String l0 = p + "l0";
    private final String l1 = p + "l1";

    @BeforeEach
    void script() {
        // what a team's shell script made: two namespaces, a veth with addresses and a route of its own
        Ip.ok("netns", "add", app);
        Ip.ok("netns", "add", db);
        Ip.ok("-n", app, "link", "add", l0, "type", "veth", "peer", "name", l1, "netns", db);
        Ip.ok("-n", app, "addr", "add", "10.97.0.1/24", "dev", l0);
        Ip.ok("-n", db, "addr", "add", "10.97.0.2/24", "dev", l1);
        Ip.ok("-n", app, "link", "set", l0, "up");
        Ip.ok("-n", db, "link", "set", l1, "up");
        Ip.ok("-n", app, "route", "add", "10.98.0.0/16", "via", "10.97.0.2");
    }

    @AfterEach
    void teardown() {
        Ip.run("netns", "del", app);
        Ip.run("netns", "del", db);
    }

    private Topology adopting() {
        return Topology.create()
                .prefix(p + "-")
                .adopt("app", app)
                .adopt("db", db)
                .veth("t0", "db", "t1")
                .apply();
    }

    /** What the kernel shows of the script's namespaces: rulesets, the veth's state, routes and qdiscs. */
    private List<String> state() {
        List<String> out = new ArrayList<>();
        for (String ns : List.of(app, db)) {
            out.add(ns + " nft "
                    + Ip.exec(List.of("ip", "netns", "exec", ns, "nft", "-j", "list", "ruleset"))
                            .ok()
                            .out());
            String[] routes =
                    Ip.ok("-n", ns, "-4", "-o", "route", "show", "table", "all").split("\n");
            Arrays.sort(routes);
            out.add(ns + " routes " + String.join("\n", routes));
        }
        out.add("l0 " + flags(Ip.ok("-n", app, "-o", "link", "show", "dev", l0)));
        out.add("l1 " + flags(Ip.ok("-n", db, "-o", "link", "show", "dev", l1)));
        out.add("qdisc l1 "
                + Ip.exec(List.of("tc", "-n", db, "-j", "qdisc", "show", "dev", l1))
                        .ok()
                        .out());
        out.add("qdisc l0 "
                + Ip.exec(List.of("tc", "-n", app, "-j", "qdisc", "show", "dev", l0))
                        .ok()
                        .out());
        return out;
    }

    /** The {@code <UP,LOWER_UP,...>} part of {@code ip -o link show}. */
    private static String flags(String line) {
        return line.substring(line.indexOf('<'), line.indexOf('>') + 1);
    }

    private List<Fault> faults(Topology t) {
        NetNamespace a = t.namespace("app");
        NetNamespace d = t.namespace("db");
        return List.of(
                Partition.between(List.of(a), List.of(d)),
                ConnectionFault.refuse(d, 5432),
                OneWayLoss.drop(d, a),
                LinkCut.cut(a, l0),
                RateLimit.of(1_000_000).on(d, l1));
    }

    @Test
    void closingTheTopologyHealsItsFaultsInAdoptedNamespaces() {
        List<String> before = state();
        List<Fault> faults;
        try (Topology t = adopting()) {
            faults = faults(t);
            assertThat(state()).isNotEqualTo(before);
        }
        assertThat(faults).noneMatch(Fault::isActive);
        assertThat(state()).isEqualTo(before);
        faults.forEach(Fault::heal); // healed already: nothing more to do
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void closingTheHandleAFaultWasGivenHealsIt() {
        List<String> before = state();
        NetNamespace a = NetNamespace.open(app);
        NetNamespace d = NetNamespace.open(db);
        List<Fault> faults = List.of(
                Partition.between(List.of(a), List.of(d)),
                LinkCut.cut(a, l0),
                RateLimit.of(1_000_000).on(d, l1));
        a.close();
        d.close();
        assertThat(faults).noneMatch(Fault::isActive);
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void aFaultHealedBeforeTheCloseIsNotHealedAgain() {
        List<String> before = state();
        try (Topology t = adopting()) {
            Fault cut = LinkCut.cut(t.namespace("app"), l0);
            cut.heal();
            // the script takes its device down itself: the topology's close must not set it up again
            Ip.ok("-n", app, "link", "set", l0, "down");
        }
        assertThat(flags(Ip.ok("-n", app, "-o", "link", "show", "dev", l0))).doesNotContain("UP,");
        Ip.ok("-n", app, "link", "set", l0, "up");
        Ip.ok("-n", app, "route", "replace", "10.98.0.0/16", "via", "10.97.0.2");
        assertThat(state()).isEqualTo(before);
    }
}
