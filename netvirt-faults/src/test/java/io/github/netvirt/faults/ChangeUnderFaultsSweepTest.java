package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.core.ApplyException;
import io.github.netvirt.core.Topology;
import io.github.netvirt.core.TopologyBuilder;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.StateDump;
import io.github.netvirt.netns.testing.TestNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A sweep, run only with {@code -Dnetvirt.sweep=true}: changes of a topology on which a
 * {@link LinkCut} and a {@link RateLimit} are in force, failed by the kernel (an address someone
 * else put on a device) and interrupted at random times, leave the network as it was; then made for
 * real, the faults healed and the topology closed, nothing is left.
 */
@RequiresRoot
@EnabledIfSystemProperty(named = "netvirt.sweep", matches = "true")
class ChangeUnderFaultsSweepTest {
    private final String p = TestNames.unique("iB") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    private final List<String> findings = new ArrayList<>();
    private final Random random = new Random(Long.getLong("netvirt.sweep.seed", 43L));

    private Topology base() {
        return Topology.create()
                .prefix(p)
                .ns("a")
                .veth("a0", "b", "b0")
                .addr("10.60.0.1/24")
                .addr("fd60::1/64")
                .veth("a1", "c", "c1")
                .addr("10.61.0.1/24")
                .addr("fd61::1/64")
                .ns("b")
                .dev("b0")
                .addr("10.60.0.2/24")
                .addr("fd60::2/64")
                .route("default", "10.60.0.1")
                .ns("c")
                .dev("c1")
                .addr("10.61.0.2/24")
                .addr("fd61::2/64")
                .route("default", "10.61.0.1")
                .apply();
    }

    /** A change touching the cut and the rate-limited devices' namespaces, and {@code last} added last. */
    private static Consumer<TopologyBuilder> change(String last) {
        return t -> {
            t.ns("d")
                    .veth("d0", "b", "b9")
                    .addr("10.62.0.2/24")
                    .addr("fd62::2/64")
                    .route("default", "10.62.0.1")
                    .ns("a")
                    .dev("a0")
                    .addr("10.60.5.1/24")
                    .dev("a1")
                    .addr("10.61.5.1/24")
                    .addr("fd65::1/64")
                    .bridge("br0")
                    .addr("10.63.0.1/24")
                    .ns("b")
                    .dev("b9")
                    .addr("10.62.0.1/24")
                    .addr("fd62::1/64")
                    .dev("b0")
                    .addr("fd66::2/64")
                    .route("10.90.0.0/16", "10.60.0.1")
                    .ns("c")
                    .route("10.91.0.0/16", "10.61.0.1")
                    .tap("tap0")
                    .addr("10.64.0.1/24");
            if (last != null) {
                t.ns("c").dev("c1").addr(last);
            }
        };
    }

    @Test
    void failedAndCancelledChangesUnderFaultsLeaveTheNetworkAsItWas() {
        Topology t = base();
        Fault limit = RateLimit.of(10_000_000).on(t.namespace("b"), "b0");
        LinkCut cut = LinkCut.cut(t.namespace("a"), "a1");
        // someone else's address on c1, which the failing change declares
        Ip.ok("-n", p + "c", "addr", "add", "10.61.9.2/24", "dev", "c1");
        String before = dump();
        try {
            TopologyBuilder failing = t.change();
            change("10.61.9.2/24").accept(failing);
            try {
                failing.apply();
                findings.add("the clashing change applied");
            } catch (ApplyException e) {
                System.out.println("FAILED as expected: " + e.getMessage());
            }
            check("kernel failure", before, dump());
            Thread caller = Thread.currentThread();
            for (int i = 0; i < Integer.getInteger("netvirt.sweep.random", 12); i++) {
                TopologyBuilder b = t.change();
                change(null).accept(b);
                long delay = random.nextInt(30_000);
                Thread interrupter = new Thread(() -> {
                    long end = System.nanoTime() + delay * 1_000;
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                    caller.interrupt();
                });
                interrupter.start();
                boolean done = false;
                Throwable thrown = null;
                try {
                    b.apply();
                    done = true;
                } catch (RuntimeException e) {
                    thrown = e;
                }
                joinQuietly(interrupter);
                Thread.interrupted();
                String what = "interrupt at " + delay + " µs";
                if (done) {
                    System.out.println("APPLIED " + what);
                    break; // made: the rest below checks that it goes
                }
                System.out.println("CANCELLED " + what + ": " + thrown);
                if (!(thrown instanceof CancellationException) && !(thrown instanceof ApplyException)) {
                    findings.add(what + ": threw " + thrown);
                }
                check(what, before, dump());
            }
            if (t.spec().findNamespace("d").isEmpty()) {
                TopologyBuilder b = t.change();
                change(null).accept(b);
                b.apply();
            }
            cut.heal();
            limit.heal();
        } finally {
            t.close();
        }
        check("after close", "", dump());
        findings.forEach(f -> System.out.println("FINDING " + f));
        assertThat(findings).isEmpty();
    }

    private static void joinQuietly(Thread t) {
        while (true) {
            try {
                t.join();
                return;
            } catch (InterruptedException e) {
                // the interrupter's own interrupt, come after the apply returned
            }
        }
    }

    private void check(String what, String expected, String actual) {
        if (expected.equals(actual)) {
            return;
        }
        List<String> e = List.of(expected.split("\n"));
        List<String> a = List.of(actual.split("\n"));
        String diff = Stream.concat(
                        e.stream().filter(l -> !a.contains(l)).map(l -> "  - " + l),
                        a.stream().filter(l -> !e.contains(l)).map(l -> "  + " + l))
                .collect(Collectors.joining("\n"));
        findings.add(what + ":\n" + diff);
        System.out.println("MISMATCH " + what + ":\n" + diff);
    }

    private String dump() {
        List<String> names = Stream.of(Ip.ok("netns", "list").split("\n"))
                .map(l -> l.split(" ")[0])
                .filter(n -> n.startsWith(p))
                .sorted()
                .toList();
        if (names.isEmpty()) {
            return "";
        }
        List<String> out = new ArrayList<>();
        out.add(StateDump.of(p));
        for (String ns : names) {
            out.add("qdisc " + ns + ":\n" + run("tc", "-n", ns, "qdisc", "show"));
            out.add("nft " + ns + ":\n" + run("ip", "netns", "exec", ns, "nft", "list", "ruleset"));
            out.add(
                    "sysctl " + ns + ":\n"
                            + run(
                                    "ip",
                                    "netns",
                                    "exec",
                                    ns,
                                    "sh",
                                    "-c",
                                    "cd /proc/sys/net; grep -H . ipv4/ip_forward ipv6/conf/*/accept_dad ipv6/conf/*/forwarding"));
        }
        return String.join("\n", out);
    }

    private static String run(String... cmd) {
        Ip.Result res = Ip.exec(List.of(cmd));
        return res.out().strip() + (res.exitCode() == 0 ? "" : " [exit " + res.exitCode() + ": " + res.err() + "]");
    }
}
