package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.Link;
import io.github.netvirt.netlink.Sysctls;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.StateDump;
import io.github.netvirt.netns.testing.TestNames;
import io.github.netvirt.tap.TapDevice;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Changes to a live topology: only the difference is made, atomically, and owned like the rest. */
@RequiresRoot
class LiveChangeTest {
    /** This test's prefix; what is left under it is deleted after the test (after its own assertions). */
    private final String p = TestNames.unique("lc") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    /** Host net2 on the seed's bridge. */
    static TopologyBuilder addNet2(Topology t) {
        return t.change()
                .ns("net2")
                .veth("net2-bridge", "bridge", "bridge-net2")
                .addr("10.0.1.3/24")
                .ns("bridge")
                .dev("br")
                .ports("bridge-net2");
    }

    private static String roundTrip(SocketChannel a, SocketChannel b, String text) throws Exception {
        a.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        ByteBuffer in = ByteBuffer.allocate(64);
        while (in.position() < text.length()) {
            b.read(in);
        }
        return new String(in.array(), 0, in.position(), StandardCharsets.UTF_8);
    }

    @Test
    void aHostAndLinkJoinTheSeedWhileATcpConnectionStaysUp() throws Exception {
        List<String> left;
        try (Topology t = Seeds.seed().prefix(p).apply();
                ServerSocketChannel ss = t.namespace("net1").openServerSocketChannel()) {
            ss.bind(new InetSocketAddress("10.0.1.2", 7101));
            try (SocketChannel c = t.namespace("net0").openSocketChannel()) {
                c.connect(new InetSocketAddress("10.0.1.2", 7101));
                try (SocketChannel s = ss.accept()) {
                    assertThat(roundTrip(c, s, "before")).isEqualTo("before");

                    TopologyBuilder change = addNet2(t);
                    Plan delta = change.plan();
                    assertThat(delta.steps())
                            .allMatch(st -> st.commands().stream().allMatch(cmd -> cmd.contains("net2")));
                    assertThat(delta.toScript())
                            .contains("ip netns add " + p + "net2")
                            .contains("link add name bridge-net2 master br up type veth")
                            .doesNotContain("netns add " + p + "net0")
                            .doesNotContain("bridge-net1");
                    assertThat(change.apply()).isSameAs(t);

                    assertThat(roundTrip(c, s, "during")).isEqualTo("during");
                    assertThat(roundTrip(s, c, "after")).isEqualTo("after");
                }
            }
            assertThat(Tcp.echo(t.namespace("net2"), t.namespace("net0"), "10.0.1.1", 7102, "new"))
                    .isEqualTo("new");
            assertThat(t.spec().namespace("net2").devices()).hasSize(1);
            assertThat(t.plan().toScript())
                    .contains("ip netns add " + p + "net0")
                    .contains("ip netns add " + p + "net2");
            assertThat(Reference.namespaces(p))
                    .containsExactlyInAnyOrder(p + "net0", p + "net1", p + "bridge", p + "net2");
        } finally {
            left = Reference.namespaces(p); // what close() left, before the cleanup below removes it
            Reference.deleteNamespaces(p);
        }
        assertThat(left).as("close() removed what the change added").isEmpty();
    }

    @Test
    void aChangeBegunBeforeAnotherWasAppliedTakesNothingOfItAway() throws Exception {
        // reproducer: the second builder held the description without net2, and its apply() deleted
        // net2 and its bridge port as if the change had removed them
        String q = TestNames.unique("fd") + "-";
        try (DeleteNetnsAfter after = DeleteNetnsAfter.prefixed(q);
                Topology t = Seeds.seed().prefix(q).apply()) {
            TopologyBuilder first = addNet2(t);
            TopologyBuilder second = t.change()
                    .ns("net3")
                    .veth("net3-bridge", "bridge", "bridge-net3")
                    .addr("10.0.1.4/24")
                    .ns("bridge")
                    .dev("br")
                    .ports("bridge-net3");
            first.apply();
            assertThat(first.plan().steps())
                    .as("a builder goes on from what it applied")
                    .isEmpty();
            assertThatThrownBy(second::plan)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("changed since this change() began");
            assertThatThrownBy(second::apply)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("changed since this change() began");
            assertThat(Reference.namespaces(q))
                    .containsExactlyInAnyOrder(q + "net0", q + "net1", q + "bridge", q + "net2");
            assertThat(t.link("bridge", "bridge-net2").master())
                    .hasValue(t.link("bridge", "br").index());
            assertThat(t.spec().findNamespace("net2")).isPresent();
            // begun again, on the topology as it is now, the same change adds net3 and keeps net2
            t.change()
                    .ns("net3")
                    .veth("net3-bridge", "bridge", "bridge-net3")
                    .addr("10.0.1.4/24")
                    .ns("bridge")
                    .dev("br")
                    .ports("bridge-net3")
                    .apply();
            assertThat(Tcp.echo(t.namespace("net3"), t.namespace("net2"), "10.0.1.3", 7131, "both"))
                    .isEqualTo("both");
        }
        assertThat(Reference.namespaces(q)).isEmpty();
    }

    @Test
    void aChangeThatAddsTheFirstNamedNamespaceRecordsIt() throws Exception {
        // reproducer: a topology with no crash record (only an adopted namespace, no devices) failed
        // the change with a NullPointerException at NS_ADD
        String q = TestNames.unique("rb") + "-";
        try (DeleteNetnsAfter after = DeleteNetnsAfter.prefixed(q)) {
            Ip.ok("netns", "add", q + "f");
            try (Topology t = Topology.create().prefix(q).adopt("f", q + "f").apply()) {
                t.change().ns("n1").apply();
                assertThat(Reference.namespaces(q)).containsExactly(q + "f", q + "n1");
                long cookie = t.namespace("n1").cookie();
                assertThat(Reference.records("ns " + Long.toUnsignedString(cookie) + " " + q + "n1"))
                        .hasSize(1);
            }
            assertThat(Reference.namespaces(q)).containsExactly(q + "f");
            assertThat(Reference.records(q + "n1")).isEmpty();
        }
    }

    @Test
    void aChangeThatFailsAtAnyStepLeavesTheNetworkAsItWas() {
        try (Topology t = Seeds.seed().prefix(p).apply()) {
            String before = StateDump.of(p);
            int steps = changeAndRemove(t).plan().steps().size();
            assertThat(steps).isGreaterThan(5);
            assertThat(changeAndRemove(t).plan().steps().get(steps - 1).commands())
                    .containsExactly("ip -n " + p + "net1 link del dev net1-bridge");
            for (int k = 0; k < steps; k++) {
                int at = k;
                assertThatThrownBy(() -> changeAndRemove(t).apply(new ApplyOptions(at)))
                        .as("step %d", k)
                        .isInstanceOf(ApplyException.class)
                        .hasMessageContaining("#" + k);
                assertThat(StateDump.of(p)).as("after a failure at step %d", k).isEqualTo(before);
                assertThat(t.spec().findNamespace("net2")).isEmpty();
                assertThat(forwarding(t, "net1"))
                        .as("after a failure at step %d", k)
                        .isEqualTo("0 0");
            }
            changeAndRemove(t).apply();
            assertThat(StateDump.of(p))
                    .isNotEqualTo(before)
                    .contains("net2-bridge")
                    .contains("extra")
                    .contains("tap1")
                    .contains("tap2")
                    .doesNotContain("net1-bridge");
            assertThat(t.tap("net1", "tap1").isOpen()).isTrue();
            assertThat(forwarding(t, "net1")).isEqualTo("1 1");
            assertThat(t.spec().namespace("net1").forwarding()).isTrue();
            assertThat(Ip.ok("-n", p + "net0", "-br", "addr", "show", "dev", "net0-bridge"))
                    .contains("10.0.1.1/24")
                    .contains("10.0.1.11/24")
                    .contains("fd00:1::1/64");
            assertThat(Ip.ok("-n", p + "net0", "route", "show"))
                    .contains("10.7.0.0/16 dev net0-bridge")
                    .contains("10.8.0.0/16 via 10.0.1.3 dev net0-bridge");
            assertThat(t.spec()
                            .namespace("net0")
                            .device("net0-bridge")
                            .orElseThrow()
                            .addresses())
                    .hasSize(3);
        }
    }

    /** net.ipv4.ip_forward and net.ipv6.conf.all.forwarding in namespace {@code ns}, e.g. "1 1". */
    private static String forwarding(Topology t, String ns) {
        Sysctls sys = Sysctls.of(t.namespace(ns));
        return (sys.ipv4Forwarding() ? "1" : "0") + " " + (sys.ipv6Forwarding() ? "1" : "0");
    }

    /** {@link #change}, forwarding, taps, an address and routes on devices that are there, and a bridge port removed. */
    private static TopologyBuilder changeAndRemove(Topology t) {
        return change(t)
                .ns("net2")
                .tap("tap2")
                .ns("net1")
                .forwarding()
                .tap("tap1")
                .addr("10.0.9.1/24")
                .ns("net0")
                .dev("net0-bridge")
                .addr("10.0.1.11/24")
                .addr("fd00:1::1/64")
                .route("10.7.0.0/16", null, "net0-bridge")
                .route("10.8.0.0/16", "10.0.1.3", "net0-bridge")
                .ns("bridge")
                .removeDevice("bridge-net1");
    }

    @Test
    void aChangeAddsTapsThatItsRemovalsAndCloseClose() throws Exception {
        TapDevice kept;
        try (Topology t = Seeds.seed().prefix(p).apply()) {
            String before = StateDump.of(p);
            t.change()
                    .ns("net0")
                    .tap("tap0")
                    .addr("10.0.6.1/24")
                    .ns("t")
                    .tap("tt")
                    .ns("net1")
                    .tap("tap1")
                    .apply();
            assertThat(t.tap("net0", "tap0").isOpen()).isTrue();
            assertThat(Ip.ok("-n", p + "net0", "-br", "addr", "show", "dev", "tap0"))
                    .contains("10.0.6.1/24");
            assertThat(Ip.ok("-n", p + "t", "link", "show", "tt")).contains("tt");
            kept = t.tap("net1", "tap1");

            TapDevice tap0 = t.tap("net0", "tap0");
            t.change().ns("net0").removeDevice("tap0").removeNamespace("t").apply();
            assertThat(tap0.isOpen()).isFalse();
            assertThat(t.linkList("net0")).extracting(Link::name).doesNotContain("tap0");
            assertThat(Reference.namespaces(p)).doesNotContain(p + "t");
            assertThatThrownBy(() -> t.tap("net0", "tap0")).isInstanceOf(NoSuchElementException.class);
            t.change().ns("net1").removeDevice("tap1").apply();
            assertThat(StateDump.of(p)).isEqualTo(before);
            assertThat(kept.isOpen()).isFalse();
            t.change().ns("net1").tap("tap1").apply();
            kept = t.tap("net1", "tap1");
        }
        assertThat(kept.isOpen()).as("close() closed the tap the change added").isFalse();
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    @Test
    void theReadmeChangeOfWhatIsThere() {
        try (Topology seed = Seeds.seed().prefix(p).apply()) {
            seed.change()
                    .ns("net0")
                    .dev("net0-bridge")
                    .addr("10.0.1.11/24")
                    .route("10.7.0.0/16", "10.0.1.2", "net0-bridge")
                    .tap("tap0")
                    .ns("bridge")
                    .forwarding()
                    .apply();
            assertThat(Ip.ok("-n", p + "net0", "-br", "addr", "show", "dev", "net0-bridge"))
                    .contains("10.0.1.11/24");
            assertThat(Ip.ok("-n", p + "net0", "route", "show")).contains("10.7.0.0/16 via 10.0.1.2 dev net0-bridge");
            assertThat(seed.tap("net0", "tap0").isOpen()).isTrue();
            assertThat(forwarding(seed, "bridge")).isEqualTo("1 1");
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    @Test
    void anAddressReplacedOnItsSubnetInOneChangeIsRefusedAndTwoChangesDoIt() throws Exception {
        // reproducer: the change added 10.0.1.5/24 first (a secondary of 10.0.1.1/24), then deleted the
        // primary, and the kernel took the new address along: the description had it, the kernel not
        String q = TestNames.unique("fd") + "-";
        try (DeleteNetnsAfter after = DeleteNetnsAfter.prefixed(q);
                Topology t = Seeds.seed().prefix(q).apply()) {
            String before = StateDump.of(q);
            assertThatThrownBy(() -> t.change()
                            .ns("net0")
                            .dev("net0-bridge")
                            .removeAddr("10.0.1.1/24")
                            .addr("10.0.1.5/24")
                            .apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("removeAddr(\"10.0.1.1/24\"): 10.0.1.5/24 is added on the same subnet");
            assertThat(StateDump.of(q)).isEqualTo(before);
            assertThat(t.spec()
                            .namespace("net0")
                            .device("net0-bridge")
                            .orElseThrow()
                            .addresses())
                    .extracting(Object::toString)
                    .containsExactly("10.0.1.1/24");

            t.change().ns("net0").dev("net0-bridge").removeAddr("10.0.1.1/24").apply();
            t.change().ns("net0").dev("net0-bridge").addr("10.0.1.5/24").apply();
            assertThat(Ip.ok("-n", q + "net0", "-br", "addr", "show", "dev", "net0-bridge"))
                    .contains("10.0.1.5/24")
                    .doesNotContain("10.0.1.1/");
            assertThat(Tcp.echo(t.namespace("net1"), t.namespace("net0"), "10.0.1.5", 7141, "renumbered"))
                    .isEqualTo("renumbered");
        }
        assertThat(Reference.namespaces(q)).isEmpty();
    }

    @Test
    void anAddressOnTheSegmentAlreadyIsRefusedInAChange() throws Exception {
        // the change's description is validated whole: an address net0 has on the bridge's segment, added on
        // net1, is refused before the kernel is touched (it would take it: no DAD in netvirt's namespaces)
        String q = TestNames.unique("fw") + "-";
        try (DeleteNetnsAfter after = DeleteNetnsAfter.prefixed(q);
                Topology t = Seeds.seed().prefix(q).apply()) {
            t.change().ns("net0").dev("net0-bridge").addr("fd00::5/64").apply();
            String before = StateDump.of(q);
            assertThatThrownBy(() -> t.change()
                            .ns("net1")
                            .dev("net1-bridge")
                            .addr("fd00::5/64")
                            .addr("10.0.1.1/24")
                            .apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("device net1/net1-bridge: address fd00::5 is also on net0/net0-bridge, on the"
                            + " same layer-2 segment")
                    .hasMessageContaining("device net1/net1-bridge: address 10.0.1.1 is also on net0/net0-bridge");
            assertThat(StateDump.of(q)).isEqualTo(before);
            assertThat(Ip.ok("-n", q + "net1", "-br", "addr", "show", "dev", "net1-bridge"))
                    .contains("10.0.1.2/24")
                    .doesNotContain("fd00::5", "10.0.1.1/");
        }
        assertThat(Reference.namespaces(q)).isEmpty();
    }

    @Test
    void addressesAreRemoved() throws Exception {
        try (Topology t = Seeds.seed().prefix(p).apply()) {
            t.change()
                    .ns("net0")
                    .dev("net0-bridge")
                    .addr("10.0.3.1/24")
                    .addr("10.0.3.2/24")
                    .addr("10.0.4.1/24")
                    .apply();
            String before = StateDump.of(p);
            assertThatThrownBy(() -> t.change()
                            .ns("net0")
                            .dev("net0-bridge")
                            .removeAddr("10.0.3.1/24")
                            .apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("removeAddr(\"10.0.3.1/24\"): 10.0.3.2/24 stays on the same subnet");
            assertThatThrownBy(() -> t.change()
                            .ns("net0")
                            .dev("net0-bridge")
                            .removeAddr("10.0.9.9/24")
                            .apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("the device has no such address");
            assertThat(StateDump.of(p)).isEqualTo(before);

            TopologyBuilder remove = t.change()
                    .ns("net0")
                    .dev("net0-bridge")
                    .removeAddr("10.0.3.1/24")
                    .removeAddr("10.0.3.2/24")
                    .removeAddr("10.0.4.1/24");
            assertThat(remove.toScript())
                    .contains("address del 10.0.3.2/24 dev net0-bridge")
                    .doesNotContain("address add");
            remove.apply();
            assertThat(Ip.ok("-n", p + "net0", "-br", "addr", "show", "dev", "net0-bridge"))
                    .contains("10.0.1.1/24")
                    .doesNotContain("10.0.3.")
                    .doesNotContain("10.0.4.");
            assertThat(t.spec()
                            .namespace("net0")
                            .device("net0-bridge")
                            .orElseThrow()
                            .addresses())
                    .extracting(Object::toString)
                    .containsExactly("10.0.1.1/24");
            assertThat(Tcp.echo(t.namespace("net1"), t.namespace("net0"), "10.0.1.1", 7105, "a"))
                    .isEqualTo("a");
        }
    }

    @Test
    void aBridgePortAndAHostAreRemoved() throws Exception {
        try (Topology t = Seeds.seed().prefix(p).apply()) {
            TopologyBuilder port = t.change().ns("bridge").removeDevice("bridge-net1");
            assertThat(port.toScript()).endsWith("set -e\nip -n " + p + "net1 link del dev net1-bridge\n");
            port.apply();
            assertThat(t.linkList("bridge"))
                    .extracting(Link::name)
                    .containsExactlyInAnyOrder("lo", "br", "bridge-net0");
            assertThat(t.linkList("net1")).extracting(Link::name).containsExactly("lo");
            assertThat(t.spec().namespace("net1").devices()).isEmpty();

            t.change().removeNamespace("net1").apply();
            assertThat(Reference.namespaces(p)).containsExactlyInAnyOrder(p + "net0", p + "bridge");
            assertThatThrownBy(() -> t.namespace("net1")).isInstanceOf(NoSuchElementException.class);

            t.change().removeNamespace("net0").apply();
            assertThat(Reference.namespaces(p)).containsExactly(p + "bridge");
            assertThat(t.linkList("bridge")).extracting(Link::name).containsExactlyInAnyOrder("lo", "br");

            String before = StateDump.of(p);
            assertThatThrownBy(
                            () -> t.change().ns("bridge").removeDevice("nosuch").apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("there is no such device");
            t.change()
                    .ns("x")
                    .veth("x0", "bridge", "bx")
                    .ns("bridge")
                    .dev("bx")
                    .master("br")
                    .apply();
            assertThatThrownBy(() -> t.change().ns("bridge").removeDevice("br").apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("bridge/br is the bridge of bx (remove that port too)");
            t.change().removeNamespace("x").apply();
            assertThat(StateDump.of(p)).isEqualTo(before);
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    /** New host net2 with a route through its new link, and a second bridge with a port in the existing net0. */
    private static TopologyBuilder change(Topology t) {
        return addNet2(t)
                .ns("net2")
                .route("10.9.0.0/24", null, "net2-bridge")
                .ns("net0")
                .veth("extra0", "bridge", "extra1")
                .addr("10.0.2.1/24")
                .ns("bridge")
                .bridge("br2")
                .dev("extra1")
                .master("br2");
    }

    @Test
    void aChangeRefusesWhatItCannotDoBeforeTheKernelIsTouched() {
        try (Topology t = Seeds.seed().prefix(p).apply()) {
            String before = StateDump.of(p);
            assertThatThrownBy(() ->
                            t.change().ns("net0").dev("net0-bridge").mtu(1400).apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("device net0/net0-bridge: a change cannot change a device that is there");
            assertThatThrownBy(() ->
                            t.change().prefix("other-").ns("x").bridge("b").apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("prefix");
            assertThatThrownBy(() ->
                            t.change().ns("net0").veth("net0-bridge", "x", "y").apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("declared 2 times");
            assertThat(StateDump.of(p)).isEqualTo(before);
        }
    }

    @Test
    void crashCleanupRemovesWhatAChangeAddedAfterAndDuringTheChange() throws Exception {
        for (String mode : List.of("wait", "halt")) {
            String mp = TestNames.unique("lc") + "-";
            String root = mp.replace("-", "");
            Path runDir = Files.createTempDirectory("netvirt-run");
            Process child = null;
            try {
                List<String> options = new ArrayList<>(List.of("-D" + Reaper.PROPERTY + "=false"));
                if (Runtime.version().feature() >= 22) {
                    options.add("--enable-native-access=ALL-UNNAMED"); // else JNA's warning is the first output
                }
                child = ChildJvm.of(runDir, options, ChangeChild.class, mp, root, mode)
                        .start();
                if (mode.equals("wait")) {
                    String out = new String(child.getInputStream().readNBytes(8), StandardCharsets.UTF_8);
                    assertThat(out).startsWith("applied");
                    IdentityCleanupTest.kill9(child);
                } else {
                    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
                    assertThat(child.exitValue())
                            .as(new String(child.getInputStream().readAllBytes()))
                            .isEqualTo(137);
                }
                assertThat(Reference.namespaces(mp)).as(mode).contains(mp + "net2");
                assertThat(Reference.rootLinks(root)).as(mode).contains(root + "a", root + "b");
                CleanupReport r = Cleaner.cleanup(new RunDir(runDir));
                assertThat(r.removed())
                        .as(mode)
                        .contains("netns " + mp + "net2")
                        .anyMatch(l -> l.startsWith("link " + root + "b "));
                assertThat(Reference.namespaces(mp)).as(mode).isEmpty();
                assertThat(Reference.rootLinks(root)).as(mode).isEmpty();
            } finally {
                if (child != null) {
                    child.destroyForcibly().waitFor(); // a failed assertion must not leave it building
                }
                Reference.deleteNamespaces(mp);
                Reference.rootLinks(root).forEach(l -> Ip.run("link", "del", l));
                IdentityCleanupTest.deleteRunDir(runDir);
            }
        }
    }

    @Test
    void twoTopologiesChangeInParallel() throws Exception {
        String q = TestNames.unique("lc") + "-";
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> NetNamespace.jvmThread(r, "change"));
        List<String> left;
        try (Topology a = Seeds.seed().prefix(p).apply();
                Topology b = Seeds.seed().prefix(q).apply()) {
            List<Future<Topology>> done = new ArrayList<>();
            for (Topology t : List.of(a, b)) {
                done.add(pool.submit((Callable<Topology>) () -> change(t).apply()));
            }
            for (Future<Topology> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            for (Topology t : List.of(a, b)) {
                assertThat(Tcp.echo(t.namespace("net2"), t.namespace("net1"), "10.0.1.2", 7103, "x"))
                        .isEqualTo("x");
                assertThat(t.link("bridge", "extra1").masterIndex())
                        .isEqualTo(t.link("bridge", "br2").index());
            }
        } finally {
            pool.shutdownNow();
            left = new ArrayList<>(Reference.namespaces(p)); // what close() left, before the cleanup
            left.addAll(Reference.namespaces(q));
            Reference.deleteNamespaces(p);
            Reference.deleteNamespaces(q);
        }
        assertThat(left).isEmpty();
    }

    @Test
    void aChangeAddsADeviceToAnAdoptedNamespaceThatCloseRemoves() throws Exception {
        AdoptTest.withForeign("lc", "own0", f -> {
            try (Topology t = Topology.create()
                    .prefix(f.p())
                    .adopt("c", f.name())
                    .bridge("cbr")
                    .ns("srv")
                    .bridge("sbr")
                    .apply()) {
                t.change()
                        .ns("srv")
                        .veth("s1", "c", "c1")
                        .addr("10.81.0.1/24")
                        .ns("c")
                        .dev("c1")
                        .addr("10.81.0.2/24")
                        .apply();
                assertThat(Tcp.echo(t.namespace("srv"), t.namespace("c"), "10.81.0.2", 7104, "c"))
                        .isEqualTo("c");
                assertThat(Ip.ok("-n", f.name(), "link", "show", "c1")).contains("c1");
            }
            assertThat(AdoptTest.links("-n", f.name())).isEqualTo(f.before());
        });
    }
}
