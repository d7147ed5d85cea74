package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.StateDump;
import io.github.netvirt.netns.testing.TestNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A sweep, run only with {@code -Dnetvirt.sweep=true}: for each change of a catalogue on a topology
 * with root-namespace devices, an adopted namespace, a link condition and a device held down, fails
 * the change at every step index ({@code failAt}), then interrupts it after every batched step
 * ({@code othersAfter}) and at random times, and compares the kernel state of every namespace
 * involved with the state before the change; then applies the change for real and closes the
 * topology, which must leave nothing. Every mismatch is printed and the test fails listing them.
 */
@RequiresRoot
@EnabledIfSystemProperty(named = "netvirt.sweep", matches = "true")
class ChangeFailureSweepTest {
    private final String p = TestNames.unique("iB") + "-";
    private final String adopted = p + "ad";
    /** Prefix of root-namespace device names (at most 15 bytes with a suffix). */
    private final String r = TestNames.unique("iB").replace("-", "");

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    private final List<String> findings = new ArrayList<>();
    private final Random random = new Random(Long.getLong("netvirt.sweep.seed", 43L));

    record Change(String name, BiConsumer<TopologyBuilder, String> change) {}

    private TopologyBuilder base(boolean down) {
        TopologyBuilder b = Topology.create()
                .prefix(p)
                .root()
                .bridge(r + "b")
                .down()
                .veth(r + "v", "a", "ar0")
                .down()
                .adopt("ad", adopted)
                .veth("ad0", "a", "a9")
                .addr("10.69.0.2/24")
                .ns("a")
                .forwarding()
                .veth("a0", "b", "b0")
                .addr("10.60.0.1/24")
                .addr("fd60::1/64")
                .rate("10mbit")
                .delay(Duration.ofMillis(5))
                .veth("a1", "c", "c1")
                .addr("10.61.0.1/24")
                .bridge("br0")
                .addr("10.62.0.1/24")
                .veth("a2", "c", "c2")
                .master("br0")
                .dev("a9")
                .addr("10.69.0.1/24")
                .ns("b")
                .dev("b0")
                .addr("10.60.0.2/24")
                .addr("fd60::2/64")
                .route("default", "10.60.0.1")
                .route("10.88.0.0/16", "10.60.0.1")
                .ns("c")
                .dev("c1")
                .addr("10.61.0.2/24")
                .route("10.60.0.0/24", "10.61.0.1")
                .dev("c2")
                .addr("10.62.0.2/24");
        return b;
    }

    private static List<Change> catalogue() {
        List<Change> c = new ArrayList<>();
        c.add(new Change(
                "new namespace with veth to a",
                (t, R) -> t.ns("d")
                        .veth("d0", "a", "a3")
                        .addr("10.63.0.2/24")
                        .addr("fd63::2/64")
                        .route("default", "10.63.0.1")
                        .ns("a")
                        .dev("a3")
                        .addr("10.63.0.1/24")
                        .addr("fd63::1/64")));
        c.add(new Change(
                "veth a-b in existing namespaces",
                (t, R) -> t.ns("a")
                        .veth("a4", "b", "b4")
                        .addr("10.64.0.1/24")
                        .addr("fd64::1/64")
                        .ns("b")
                        .dev("b4")
                        .addr("10.64.0.2/24")
                        .route("10.99.0.0/16", "10.64.0.1")));
        c.add(new Change(
                "bridge with a new port in b",
                (t, R) -> t.ns("b")
                        .bridge("br1")
                        .addr("10.65.0.1/24")
                        .veth("b5", "c", "c5")
                        .master("br1")
                        .ns("c")
                        .dev("c5")
                        .addr("10.65.0.2/24")));
        c.add(new Change(
                "new port of existing bridge",
                (t, R) -> t.ns("a")
                        .veth("a6", "c", "c6")
                        .master("br0")
                        .ns("c")
                        .dev("c6")
                        .addr("10.62.0.6/24")));
        c.add(new Change(
                "tap in a", (t, R) -> t.ns("a").tap("tap0").addr("10.66.0.1/24").addr("fd66::1/64")));
        c.add(new Change(
                "macvlan on br0", (t, R) -> t.ns("a").macvlan("m0", "br0").addr("10.62.0.7/24")));
        c.add(new Change(
                "vxlan in b",
                (t, R) -> t.ns("b")
                        .vxlan("vx0", 4242)
                        .local("10.60.0.2")
                        .remote("10.60.0.1")
                        .addr("10.67.0.1/24")));
        c.add(new Change(
                "addresses on existing devices",
                (t, R) -> t.ns("a")
                        .dev("a0")
                        .addr("10.60.1.1/24")
                        .addr("fd61::1/64")
                        .ns("b")
                        .dev("b0")
                        .addr("10.60.1.2/24")
                        .addr("fd61::2/64")));
        c.add(new Change(
                "routes via existing gateways",
                (t, R) -> t.ns("b")
                        .route("10.90.0.0/16", "10.60.0.1")
                        .route("10.91.0.0/16", "10.60.0.1")
                        .route("fd90::/64", "fd60::1")
                        .ns("c")
                        .route("10.92.0.0/16", "10.61.0.1")));
        c.add(new Change(
                "remove routes", (t, R) -> t.ns("b").removeRoute("default").removeRoute("10.88.0.0/16")));
        c.add(new Change("remove address", (t, R) -> t.ns("b").dev("b0").removeAddr("fd60::2/64")));
        c.add(new Change("remove device", (t, R) -> t.ns("a").removeDevice("a2")));
        c.add(new Change("remove namespace c", (t, R) -> t.removeNamespace("c")));
        c.add(new Change(
                "remove namespace c, explicit",
                (t, R) -> t.removeNamespace("c").ns("a").removeDevice("a1").removeDevice("a2")));
        c.add(new Change("forwarding on b", (t, R) -> t.ns("b").forwarding()));
        c.add(new Change("mtu change", (t, R) -> t.ns("a").dev("a0").mtu(1400)));
        c.add(new Change("mac change", (t, R) -> t.ns("a").dev("br0").mac("02:00:00:00:43:01")));
        c.add(new Change(
                "existing device to a bridge", (t, R) -> t.ns("a").dev("a9").master("br0")));
        c.add(new Change(
                "root devices",
                (t, R) -> t.root()
                        .bridge(R + "c")
                        .down()
                        .veth(R + "w", "b", "br7")
                        .down()));
        c.add(new Change(
                "adopted namespace devices",
                (t, R) -> t.ns("ad")
                        .tap("adtap")
                        .addr("10.70.0.1/24")
                        .veth("ad1", "b", "b8")
                        .addr("10.71.0.1/24")
                        .ns("b")
                        .dev("b8")
                        .addr("10.71.0.2/24")));
        c.add(new Change(
                "address and route through the downed device",
                (t, R) -> t.ns("a").dev("a1").addr("10.61.1.1/24").ns("c").route("10.93.0.0/16", "10.61.0.1")));
        c.add(new Change(
                "a bit of everything",
                (t, R) -> t.ns("e")
                        .forwarding()
                        .veth("e0", "a", "a7")
                        .addr("10.72.0.2/24")
                        .addr("fd72::2/64")
                        .bridge("ebr")
                        .addr("10.73.0.1/24")
                        .tap("etap")
                        .master("ebr")
                        .ns("a")
                        .dev("a7")
                        .addr("10.72.0.1/24")
                        .addr("fd72::1/64")
                        .dev("a0")
                        .addr("10.60.2.1/24")
                        .ns("b")
                        .forwarding()
                        .route("10.94.0.0/16", "10.60.0.1")
                        .removeRoute("10.88.0.0/16")
                        .ns("ad")
                        .tap("adt2")
                        .root()
                        .bridge(R + "e")
                        .down()));
        return c;
    }

    /** Replaces the root-name placeholder {@code %R}; catalogue entries are written without the prefix. */
    private Consumer<TopologyBuilder> resolve(Change c) {
        return b -> c.change().accept(b, r);
    }

    @Test
    void everyFailedOrCancelledChangeLeavesTheNetworkAsItWas() throws Exception {
        String only = System.getProperty("netvirt.sweep.only");
        String which = System.getProperty("netvirt.sweep.downs", "false,true");
        Ip.ok("netns", "add", adopted);
        String adoptedBefore = dump(adopted);
        List<String> runDirBefore = runDir();
        for (Change c : catalogue()) {
            if (only != null && !c.name().contains(only)) {
                continue;
            }
            for (String w : which.split(",")) {
                boolean down = Boolean.parseBoolean(w);
                sweep(c, down);
                String label = c.name() + (down ? " [a/a1 down]" : "");
                check(label + ": after close, adopted namespace", adoptedBefore, dump(adopted));
                check(label + ": after close, own namespaces", "", ownNamespaces());
                check(label + ": after close, root devices", "", rootLinks());
                check(label + ": after close, run dir", String.join("\n", runDirBefore), String.join("\n", runDir()));
            }
        }
        findings.forEach(f -> System.out.println("FINDING " + f));
        assertThat(findings).isEmpty();
    }

    private void sweep(Change c, boolean down) {
        String label = c.name() + (down ? " [a/a1 down]" : "");
        Consumer<TopologyBuilder> change = resolve(c);
        Topology t = build(down);
        try {
            int steps;
            try {
                TopologyBuilder b = t.change();
                change.accept(b);
                steps = b.plan().steps().size();
            } catch (InvalidTopologyException e) {
                System.out.println("REFUSED " + label + ": " + e.getMessage());
                return;
            }
            String before = dump(null);
            System.out.println("SWEEP " + label + ": " + steps + " steps");
            for (int k = 0; k < steps; k++) {
                TopologyBuilder b = t.change();
                change.accept(b);
                String step = b.plan().steps().get(k).describe();
                Throwable thrown = null;
                try {
                    b.apply(ApplyOptions.failingAt(k, () -> {}));
                } catch (RuntimeException e) {
                    thrown = e;
                }
                String what = label + ": failAt " + k + " (" + step + ")";
                if (!(thrown instanceof ApplyException)) {
                    findings.add(what + ": threw " + thrown);
                }
                if (!check(what, before, dump(null))) {
                    t = rebuild(t, down);
                    before = dump(null);
                }
            }
            Thread caller = Thread.currentThread();
            for (int k = 0; k < steps; k++) {
                TopologyBuilder b = t.change();
                change.accept(b);
                String step = b.plan().steps().get(k).describe();
                boolean done = false;
                Throwable thrown = null;
                try {
                    b.apply(ApplyOptions.othersAfter(k, caller::interrupt));
                    done = true;
                } catch (RuntimeException e) {
                    thrown = e;
                }
                boolean interrupted = Thread.interrupted();
                String what = label + ": interrupt after " + k + " (" + step + ")";
                if (done) {
                    // not a batched step, or noticed too late: applied, nothing to compare
                    System.out.println("APPLIED " + what + (interrupted ? " (interrupt status set)" : ""));
                    t = rebuild(t, down);
                    before = dump(null);
                    continue;
                }
                if (!(thrown instanceof CancellationException) && !(thrown instanceof ApplyException)) {
                    findings.add(what + ": threw " + thrown);
                }
                if (!interrupted) {
                    findings.add(what + ": the caller's interrupt status was not set again (" + thrown + ")");
                }
                if (!check(what, before, dump(null))) {
                    t = rebuild(t, down);
                    before = dump(null);
                }
            }
            for (int i = 0; i < Integer.getInteger("netvirt.sweep.random", 6); i++) {
                TopologyBuilder b = t.change();
                change.accept(b);
                long delay = random.nextInt(4_000);
                Thread interrupter = new Thread(() -> {
                    long end = System.nanoTime() + delay * 1_000;
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                    caller.interrupt();
                });
                boolean done = false;
                Throwable thrown = null;
                interrupter.start();
                try {
                    b.apply();
                    done = true;
                } catch (RuntimeException e) {
                    thrown = e;
                }
                try {
                    interrupter.join();
                } catch (InterruptedException e) {
                    // the interrupter's own
                }
                try {
                    interrupter.join();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                Thread.interrupted();
                String what = label + ": interrupt at " + delay + " µs";
                if (done) {
                    System.out.println("APPLIED " + what);
                    t = rebuild(t, down);
                    before = dump(null);
                    continue;
                }
                if (!(thrown instanceof CancellationException) && !(thrown instanceof ApplyException)) {
                    findings.add(what + ": threw " + thrown);
                }
                if (!check(what, before, dump(null))) {
                    t = rebuild(t, down);
                    before = dump(null);
                }
            }
            TopologyBuilder b = t.change();
            change.accept(b);
            try {
                b.apply();
            } catch (RuntimeException e) {
                findings.add(label + ": the change for real failed: " + e);
            }
            TopologyBuilder again = t.change();
            change.accept(again);
        } finally {
            try {
                t.close();
            } catch (RuntimeException e) {
                findings.add(label + ": close failed: " + e);
            }
        }
    }

    private Topology build(boolean down) {
        Topology t = base(down).apply();
        if (down) {
            t.down("a", "a1");
        }
        return t;
    }

    private Topology rebuild(Topology t, boolean down) {
        try {
            t.close();
        } catch (RuntimeException e) {
            findings.add("close after a finding failed: " + e);
        }
        Ip.run("netns", "del", adopted);
        rootLinksRaw().forEach(l -> Ip.run("link", "del", l));
        Ip.ok("netns", "add", adopted);
        return build(down);
    }

    private boolean check(String what, String expected, String actual) {
        if (expected.equals(actual)) {
            return true;
        }
        List<String> e = List.of(expected.split("\n"));
        List<String> a = List.of(actual.split("\n"));
        String diff = Stream.concat(
                        e.stream().filter(l -> !a.contains(l)).map(l -> "  - " + l),
                        a.stream().filter(l -> !e.contains(l)).map(l -> "  + " + l))
                .collect(Collectors.joining("\n"));
        findings.add(what + ":\n" + diff);
        System.out.println("MISMATCH " + what + ":\n" + diff);
        return false;
    }

    /** The state of the prefix's namespaces (or only {@code one}), their qdiscs, sysctls and nft, and root devices. */
    private String dump(String one) {
        List<String> out = new ArrayList<>();
        out.add(StateDump.of(one == null ? p : one));
        List<String> names = one != null
                ? List.of(one)
                : Stream.of(Ip.ok("netns", "list").split("\n"))
                        .map(l -> l.split(" ")[0])
                        .filter(n -> n.startsWith(p))
                        .sorted()
                        .toList();
        for (String ns : names) {
            out.add("qdisc " + ns + ":\n" + run("tc", "-n", ns, "qdisc", "show"));
            out.add(
                    "sysctl " + ns + ":\n"
                            + run(
                                    "ip",
                                    "netns",
                                    "exec",
                                    ns,
                                    "sh",
                                    "-c",
                                    "cd /proc/sys/net; grep -H . ipv4/ip_forward ipv6/conf/all/forwarding"
                                            + " ipv6/conf/*/accept_dad ipv4/conf/*/forwarding ipv4/conf/*/promote_secondaries"));
            out.add("nft " + ns + ":\n" + run("ip", "netns", "exec", ns, "nft", "list", "ruleset"));
        }
        if (one == null) {
            out.add("root:\n" + rootLinks());
        }
        return String.join("\n", out);
    }

    private String ownNamespaces() {
        return Stream.of(Ip.ok("netns", "list").split("\n"))
                .map(l -> l.split(" ")[0])
                .filter(n -> n.startsWith(p) && !n.equals(adopted))
                .sorted()
                .collect(Collectors.joining("\n"));
    }

    private List<String> rootLinksRaw() {
        return Stream.of(Ip.ok("-o", "link", "show").split("\n"))
                .map(l -> l.split(": ")[1].split("@")[0])
                .filter(n -> n.startsWith(r))
                .sorted()
                .toList();
    }

    private String rootLinks() {
        List<String> out = new ArrayList<>();
        for (String l : rootLinksRaw()) {
            out.add(Ip.ok("-d", "-o", "link", "show", "dev", l)
                    .replaceAll("^\\d+: ", "")
                    .replaceAll("@if\\d+", "@ifN")
                    .replaceAll("link-netns \\S+|link-netnsid \\d+", "")
                    .trim());
            out.add(run("tc", "qdisc", "show", "dev", l));
        }
        return String.join("\n", out);
    }

    private static List<String> runDir() throws IOException {
        Path d = Path.of(System.getProperty("netvirt.run.dir", "/run/netvirt"));
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            String own = ProcessHandle.current().pid() + "-"; // other JVMs' records come and go
            return s.map(Path::toString)
                    .filter(n -> n.contains("/" + own))
                    .sorted()
                    .toList();
        }
    }

    private static String run(String... cmd) {
        Ip.Result res = Ip.exec(List.of(cmd));
        return res.out().strip() + (res.exitCode() == 0 ? "" : " [exit " + res.exitCode() + ": " + res.err() + "]");
    }
}
