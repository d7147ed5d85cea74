package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.Link;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.ChildJvm;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.Json;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Namespaces netvirt did not create, adopted as hosts: it adds its devices there and removes only
 * those, never the namespace or what was there before.
 */
@RequiresRoot
class AdoptTest {

    /**
     * In adopted host "c" (already entered): a bridge with one port of a veth pair inside, and the
     * end of a veth from the topology's own namespace "srv" (10.77.0.1 - 10.77.0.2).
     */
    static TopologyBuilder withAdopted(TopologyBuilder b) {
        return b.bridge("cbr")
                .veth("cin0", "cin1")
                .master("cbr")
                .ns("srv")
                .veth("srv0", "c", "c0")
                .addr("10.77.0.1/24")
                .ns("c")
                .dev("c0")
                .addr("10.77.0.2/24")
                .route("10.78.0.0/24", null, "c0");
    }

    /** A namespace made by {@code ip netns add}: its test's prefix, its name, its links before netvirt came. */
    record Foreign(String p, String name, List<String> before) {}

    interface InForeign {
        void run(Foreign f) throws Exception;
    }

    /**
     * Runs {@code body} with a foreign namespace (prefix + "foreign", the prefix unique to the test,
     * made with {@code ip netns add}) that holds a bridge named {@code bridge}, then deletes every
     * namespace of the prefix.
     */
    static void withForeign(String tag, String bridge, InForeign body) throws Exception {
        String p = TestNames.unique(tag) + "-";
        String foreign = p + "foreign";
        Ip.ok("netns", "add", foreign);
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p)) {
            Ip.ok("-n", foreign, "link", "add", bridge, "type", "bridge");
            body.run(new Foreign(p, foreign, links("-n", foreign)));
        }
    }

    /** "name ifindex" of each link of the namespace {@code ipArgs} reaches, sorted by index. */
    static List<String> links(String... ipArgs) {
        List<String> cmd = new ArrayList<>(List.of(ipArgs));
        if (ipArgs[0].startsWith("-")) {
            cmd.add(0, "ip");
        }
        cmd.addAll(List.of("-j", "link", "show"));
        Ip.Result r = Ip.exec(cmd);
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) Json.parse(r.out())) {
            Map<?, ?> l = (Map<?, ?>) o;
            out.add(l.get("ifname") + " " + l.get("ifindex"));
        }
        return out;
    }

    private static List<String> names(List<String> links) {
        return links.stream().map(l -> l.split(" ")[0]).toList();
    }

    @Test
    void anIpNetnsNamespaceKeepsItsOwnDevicesAndLosesNetvirts() throws Exception {
        String p = TestNames.unique("ad") + "-";
        String foreign = p + "foreign";
        Ip.ok("netns", "add", foreign);
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p)) {
            Ip.ok("-n", foreign, "link", "add", "own0", "type", "veth", "peer", "name", "own1");
            Ip.ok("-n", foreign, "addr", "add", "10.66.0.1/24", "dev", "own0");
            List<String> before = links("-n", foreign);
            String routesBefore = Ip.ok("-n", foreign, "route", "show", "table", "all");
            try (Topology t =
                    withAdopted(Topology.create().prefix(p).adopt("c", foreign)).apply()) {
                assertThat(names(links("-n", foreign)))
                        .containsAll(names(before))
                        .contains("cbr", "cin0", "cin1", "c0");
                assertThat(Tcp.echo(t.namespace("srv"), t.namespace("c"), "10.77.0.2", 7001, "hi"))
                        .isEqualTo("hi");
                assertThat(Tcp.echo(t.namespace("c"), t.namespace("srv"), "10.77.0.1", 7002, "back"))
                        .isEqualTo("back");
                assertThat(t.namespace("c")
                                .exec("ip", "route", "show", "10.78.0.0/24")
                                .stdout())
                        .contains("dev c0");
                // the live calls work on the adopted host
                t.down("c", "c0");
                assertThat(t.link("c", "c0").isUp()).isFalse();
                t.up("c", "c0");
                assertThat(Reference.namespaces(p)).containsExactlyInAnyOrder(foreign, p + "srv");
                String script = t.plan().toScript();
                assertThat(script)
                        .doesNotContain("netns add " + foreign)
                        .contains("ip -n " + foreign + " link add name cbr up type bridge")
                        .contains("type veth peer name c0 netns " + foreign);
            }
            assertThat(Reference.namespaces(p)).containsExactly(foreign);
            assertThat(links("-n", foreign)).as("same devices, same ifindexes").isEqualTo(before);
            assertThat(Ip.ok("-n", foreign, "addr", "show", "own0")).contains("10.66.0.1/24");
            assertThat(Ip.ok("-n", foreign, "route", "show", "table", "all")).isEqualTo(routesBefore);
        }
    }

    @Test
    void theNamespaceOfAProcessIsAdoptedByPid() throws Exception {
        String p = TestNames.unique("ad") + "-";
        Process box = new ProcessBuilder("unshare", "--net", "sleep", "1000").start();
        try {
            awaitOwnNamespace(box.pid());
            List<String> before = nsenterLinks(box.pid());
            try (Topology t = Topology.create()
                    .prefix(p)
                    .adoptPid("box", box.pid())
                    .veth("box0", "srv", "srv0")
                    .addr("10.79.0.2/24")
                    .ns("srv")
                    .dev("srv0")
                    .addr("10.79.0.1/24")
                    .apply()) {
                assertThat(names(nsenterLinks(box.pid()))).contains("box0");
                // made from srv's end, which netvirt numbers (it numbers nothing in an adopted namespace)
                assertThat(t.plan().toScript())
                        .contains("ip -n " + p + "srv link add name srv0")
                        .contains("peer name box0 netns " + box.pid())
                        .contains("nsenter -t " + box.pid() + " -n ip link set dev box0 up");
                assertThat(Tcp.echo(t.namespace("srv"), t.namespace("box"), "10.79.0.2", 7003, "pid"))
                        .isEqualTo("pid");
                // a process started in the adopted host is the topology's; the adopted one is not
                Process mine = t.namespace("box").start(new ProcessBuilder("sleep", "1000"));
                t.close();
                assertThat(mine.waitFor(5, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(box.isAlive()).as("the adopted process").isTrue();
            assertThat(nsenterLinks(box.pid())).isEqualTo(before);
            assertThat(Reference.namespaces(p)).isEmpty();
        } finally {
            Ip.exec(List.of("kill", "-9", Long.toString(box.pid())));
            box.waitFor(10, TimeUnit.SECONDS);
            Reference.deleteNamespaces(p);
        }
    }

    /** {@code mine} adopted as host h, its h0 veth to srv's srv0 on 10.{@code net}.0.0/24: h .2, srv .1. */
    private static TopologyBuilder adoptedNextToServer(String p, NetNamespace mine, int net) {
        return Topology.create()
                .prefix(p)
                .ephemeral()
                .adopt("h", mine)
                .veth("h0", "srv", "srv0")
                .addr("10." + net + ".0.2/24")
                .ns("srv")
                .dev("srv0")
                .addr("10." + net + ".0.1/24");
    }

    @Test
    void anOpenHandleIsAdoptedAndStaysTheCallers() throws Exception {
        String p = TestNames.unique("ad") + "-";
        try (NetNamespace mine = NetNamespace.ephemeral()) {
            try (Topology t = adoptedNextToServer(p, mine, 80).apply()) {
                assertThat(t.link("h", "h0").isUp()).isTrue();
                assertThat(Tcp.echo(t.namespace("srv"), mine, "10.80.0.2", 7004, "fd"))
                        .isEqualTo("fd");
            }
            assertThat(mine.isOpen()).isTrue();
        }
    }

    @Test
    void aChangeNeedsNotReachTheAdoptedNamespaceAgain() throws Exception {
        String p = TestNames.unique("ad") + "-";
        NetNamespace mine = NetNamespace.ephemeral();
        try (Topology t = adoptedNextToServer(p, mine, 82).apply()) {
            mine.close(); // the topology's own handle keeps the namespace
            t.change()
                    .ns("h")
                    .veth("h1", "srv", "srv1")
                    .addr("10.83.0.2/24")
                    .ns("srv")
                    .dev("srv1")
                    .addr("10.83.0.1/24")
                    .apply();
            assertThat(Tcp.echo(t.namespace("srv"), t.namespace("h"), "10.83.0.2", 7005, "again"))
                    .isEqualTo("again");
        }
    }

    @Test
    void theCallersHandleIsNotClosedByTheTopology() throws Exception {
        String p = TestNames.unique("ad") + "-";
        try (NetNamespace mine = NetNamespace.ephemeral()) {
            Topology.create()
                    .prefix(p)
                    .ephemeral()
                    .adopt("h", mine)
                    .bridge("b")
                    .ns("srv")
                    .bridge("b")
                    .apply()
                    .close();
            assertThat(mine.isOpen()).isTrue();
            try (var h = NetlinkHandle.open(mine)) {
                assertThat(h.linkList()).extracting(Link::name).containsExactly("lo");
            }
        }
    }

    @Test
    void whatCannotBeAdoptedIsRefusedBeforeAnythingChanges() throws Exception {
        String p = TestNames.unique("ad") + "-";
        Process gone = new ProcessBuilder("true").start();
        assertThat(gone.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String foreign = p + "foreign";
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p)) {
            assertThatThrownBy(() -> Topology.create()
                            .prefix(p)
                            .adopt("c", p + "nosuch")
                            .bridge("b")
                            .ns("srv")
                            .bridge("b")
                            .apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("adopted namespace c (netns " + p + "nosuch)")
                    .hasMessageContaining("there is no network namespace named");
            assertThatThrownBy(() -> Topology.create()
                            .prefix(p)
                            .adoptPid("c", gone.pid())
                            .bridge("b")
                            .ns("srv")
                            .bridge("b")
                            .apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("there is no process " + gone.pid());
            Ip.ok("netns", "add", foreign);
            assertThatThrownBy(() -> Topology.create()
                            .prefix(p)
                            .adopt("c", foreign)
                            .adopt("d", foreign)
                            .veth("d0", "c", "c0")
                            .ns("srv")
                            .bridge("b")
                            .apply())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(
                            "cannot adopt netns " + foreign + " as d: that namespace is adopted as c already");
            assertThatThrownBy(() -> Topology.create()
                            .prefix(p)
                            .adoptPid("me", ProcessHandle.current().pid())
                            .bridge("b")
                            .ns("srv")
                            .bridge("b")
                            .apply())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("that namespace is the root namespace (the JVM's own): use root() for it");
            assertThatThrownBy(() -> Topology.create()
                            .prefix(p)
                            .adopt("c", foreign)
                            .forwarding()
                            .route("10.1.0.0/16", "10.0.0.1")
                            .bridge("b")
                            .apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("forwarding() is refused")
                    .hasMessageContaining("needs the dev of a device the topology makes there");
            assertThat(Reference.namespaces(p)).containsExactly(foreign);
            assertThat(names(links("-n", foreign))).containsExactly("lo");
        }
    }

    @Test
    void crashCleanupRemovesTheDevicesMadeInAnAdoptedNamespaceAndNeverTheNamespace() throws Exception {
        Path runDir = Files.createTempDirectory("netvirt-run");
        try {
            withForeign("ad", "own0", f -> {
                Process child = startChild(runDir, f.p(), f.name());
                IdentityCleanupTest.kill9(child);
                assertThat(names(links("-n", f.name()))).contains("cbr", "cin0", "c0", "own0");
                List<Path> records = IdentityCleanupTest.records(runDir);
                assertThat(records).hasSize(1);
                assertThat(Files.readString(records.get(0)))
                        .contains("adopted ")
                        .contains(" netns " + f.name());
                CleanupReport r = Cleaner.cleanup(new RunDir(runDir));
                System.out.println("cleanup: " + r);
                assertThat(r.removed())
                        .anyMatch(l -> l.startsWith("link cbr (adopted netns " + f.name()))
                        .contains("netns " + f.p() + "srv")
                        .noneMatch(l -> l.equals("netns " + f.name()));
                assertThat(Reference.namespaces(f.p())).containsExactly(f.name());
                assertThat(links("-n", f.name())).isEqualTo(f.before());
                assertThat(IdentityCleanupTest.records(runDir)).isEmpty();
            });
        } finally {
            IdentityCleanupTest.deleteRunDir(runDir);
        }
    }

    @Test
    void aDetachedTopologyKeepsItsDevicesInAnAdoptedNamespaceUntilRemoveDetached() throws Exception {
        withForeign("ad", "own0", f -> {
            Topology t = withAdopted(Topology.create().prefix(f.p()).adopt("c", f.name()))
                    .apply();
            t.detach();
            assertThat(names(links("-n", f.name()))).contains("own0", "cbr", "cin0", "c0");
            Topology.cleanup();
            assertThat(names(links("-n", f.name())))
                    .as("kept: cleanup leaves it")
                    .contains("cbr");
            assertThat(withAdopted(Topology.create().prefix(f.p()).adopt("c", f.name()))
                            .removeDetached())
                    .contains("netns " + f.p() + "srv")
                    .anyMatch(l -> l.startsWith("link cbr (adopted netns " + f.name()));
            assertThat(links("-n", f.name())).isEqualTo(f.before());
            assertThat(Reference.namespaces(f.p())).containsExactly(f.name());
        });
    }

    @Test
    void aNameTheAdoptedNamespaceAlreadyUsesFailsTheApplyAndItsDeviceStays() throws Exception {
        withForeign("ad", "c0", f -> {
            assertThatThrownBy(() -> withAdopted(Topology.create().prefix(f.p()).adopt("c", f.name()))
                            .apply())
                    .isInstanceOf(ApplyException.class)
                    .hasMessageContaining("c0");
            assertThat(links("-n", f.name())).isEqualTo(f.before());
            assertThat(Reference.namespaces(f.p())).containsExactly(f.name());
        });
    }

    /**
     * A persistent tap of that name already in the adopted namespace (ip tuntap add): TUNSETIFF
     * would attach to it rather than fail, so the topology must ask for a new device only.
     */
    @Test
    void aTapNameTheAdoptedNamespaceAlreadyUsesFailsTheApplyAndItsTapIsLeftAsItWas() throws Exception {
        withForeign("ad", "own0", f -> {
            Ip.ok("-n", f.name(), "tuntap", "add", "dev", "ftap", "mode", "tap");
            String before = Ip.ok("-n", f.name(), "-d", "-j", "addr", "show", "dev", "ftap");
            assertThatThrownBy(() -> Topology.create()
                            .prefix(f.p())
                            .adopt("c", f.name())
                            .tap("ftap")
                            .addr("10.79.0.1/24")
                            .apply())
                    .isInstanceOf(ApplyException.class)
                    .hasMessageContaining("ftap");
            assertThat(Ip.ok("-n", f.name(), "-d", "-j", "addr", "show", "dev", "ftap"))
                    .isEqualTo(before);
        });
    }

    private static Process startChild(Path runDir, String... args) throws Exception {
        return ChildJvm.startUntil(
                "applied", List.of("-Dnetvirt.run.dir=" + runDir, "-Dnetvirt.reaper=false"), AdoptChild.class, args);
    }

    private static List<String> nsenterLinks(long pid) {
        return links("nsenter", "-t", Long.toString(pid), "-n", "ip");
    }

    /** unshare(1) makes the namespace, then execs sleep: wait until the pid is in a namespace of its own. */
    private static void awaitOwnNamespace(long pid) throws Exception {
        String self = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try {
                String cmd = Files.readString(Path.of("/proc/" + pid + "/cmdline"));
                if (cmd.startsWith("sleep")
                        && !Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/net"))
                                .toString()
                                .equals(self)) {
                    return;
                }
            } catch (IOException e) {
                // not there yet
            }
            Thread.sleep(10);
        }
        throw new AssertionError("process " + pid + " never got a namespace of its own");
    }

    @Test
    void aPidWhoseNamespaceTheJvmMayNotOpenIsNotCalledMissing(@org.junit.jupiter.api.io.TempDir Path runDir)
            throws Exception {
        // without CAP_SYS_PTRACE, /proc answers EACCES for pid 1's ns/net: it exists but cannot be opened
        ProcessBuilder b = io.github.netvirt.core.ChildJvm.of(runDir, UnreadablePidChild.class);
        b.command().addAll(0, List.of("setpriv", "--bounding-set", "-sys_ptrace"));
        Process child = b.start();
        String out = new String(child.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out)
                .contains("refused: ")
                .contains("adopted namespace init (pid 1): cannot open /proc/1/ns/net: permission denied (EACCES")
                .doesNotContain("there is no process");
    }
}
