package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A device netvirt makes in the root or an adopted namespace, where the kernel chooses its ifindex, is
 * known by the index its creating request's echo told: when someone renames it the moment the kernel
 * acknowledged it and makes a device of their own with its name, the steps after it (its master, up,
 * addresses) go to netvirt's device, under its new name, and the other's stays as it was.
 */
@RequiresRoot
class KernelNumberedIdentityTest {
    private final String p = TestNames.unique("gJ") + "-";
    private final String adopted = p + "ad";
    /** A prefix of the root-namespace devices, unique to the test. */
    private final String h = TestNames.unique("gJ").replace("-", "");

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    /** Bridge b (up) in the root namespace, and a veth from namespace a whose root end r joins it, up. */
    private TopologyBuilder root() {
        return Topology.create()
                .prefix(p)
                .ephemeral()
                .root()
                .bridge(h + "b")
                .ns("a")
                .veth("e0", Topology.ROOT, h + "r")
                .root()
                .dev(h + "r")
                .master(h + "b");
    }

    @Test
    void aRootBridgeTakenOverKeepsItsPorts() {
        takeOverInRoot(
                h + "b",
                () -> {
                    // the other's bridge, down
                    Ip.ok("link", "add", h + "b", "type", "bridge");
                },
                List.of(h + "b"));
    }

    @Test
    void aRootVethEndTakenOverIsJoinedAndBroughtUp() {
        takeOverInRoot(
                h + "r",
                () -> {
                    // the other's veth, down
                    Ip.ok("link", "add", h + "r", "type", "veth", "peer", "name", h + "p");
                },
                List.of(h + "r", h + "p"));
    }

    /**
     * Applies {@link #root()}; once the kernel acknowledged the creation of {@code dev}, someone renames
     * it {@code h + "mv"} and makes a device of theirs with its name ({@code makeOthers}); the devices
     * {@code left} are the other's, left once the topology is closed.
     */
    private void takeOverInRoot(String dev, Runnable makeOthers, List<String> left) {
        TopologyBuilder b = root();
        String moved = h + "mv";
        List<String> others = new ArrayList<>();
        try {
            Runnable takeOver = () -> {
                Ip.ok("link", "set", dev, "name", moved);
                makeOthers.run();
                others.add(link(null, dev));
            };
            try (Topology t = b.apply(ApplyOptions.othersAfter(creating(b, dev), takeOver))) {
                assertThat(others).as("taken over").hasSize(1);
                String other = link(null, dev);
                assertThat(other).as("the other's " + dev + " as it was").isEqualTo(others.get(0));
                assertThat(other).doesNotContain("\"master\"").doesNotContain("\"UP\"");
                assertThat(Ip.ok("-j", "link", "show", "master", dev))
                        .as("ports of the other's " + dev)
                        .doesNotContain("ifname");
                String bridge = (h + "b").equals(dev) ? moved : h + "b";
                String port = (h + "r").equals(dev) ? moved : h + "r";
                assertThat(link(null, port))
                        .as("the topology's " + port)
                        .contains("\"master\":\"" + bridge + "\"")
                        .contains("\"UP\"");
                assertThat(link(null, bridge)).as("the topology's " + bridge).contains("\"UP\"");
            }
            assertThat(Reference.rootLinks(h))
                    .as("the root's devices after close: the other's alone")
                    .containsExactlyInAnyOrderElementsOf(left);
        } finally {
            for (String d : List.of(h + "b", h + "r", h + "p", moved)) {
                Ip.run("link", "del", d);
            }
        }
        assertThat(Reference.rootLinks(h)).isEmpty();
    }

    /** Adopted namespace app: bridge br1 with an address, and a veth from namespace c whose end eth1 there has one. */
    private TopologyBuilder adopted() {
        return Topology.create()
                .prefix(p)
                .adopt("app", adopted)
                .bridge("br1")
                .addr("10.9.3.1/24")
                .ns("c")
                .veth("c0", "app", "eth1")
                .addr("10.9.4.2/24")
                .ns("app")
                .dev("eth1")
                .addr("10.9.4.1/24");
    }

    @Test
    void anAdoptedBridgeTakenOverGetsItsAddress() {
        takeOverInAdopted("br1", "10.9.3.1/24", () -> Ip.ok("-n", adopted, "link", "add", "br1", "type", "bridge"));
    }

    @Test
    void anAdoptedVethEndTakenOverGetsItsAddressAndGoesUp() {
        takeOverInAdopted(
                "eth1",
                "10.9.4.1/24",
                () -> Ip.ok("-n", adopted, "link", "add", "eth1", "type", "veth", "peer", "name", "gJp"));
    }

    /**
     * Applies {@link #adopted()}; once the kernel acknowledged the creation of {@code dev}, someone
     * renames it gJmoved and makes a device of theirs with its name ({@code makeOthers}).
     */
    private void takeOverInAdopted(String dev, String address, Runnable makeOthers) {
        Ip.ok("netns", "add", adopted);
        TopologyBuilder b = adopted();
        List<String> others = new ArrayList<>();
        Runnable takeOver = () -> {
            Ip.ok("-n", adopted, "link", "set", dev, "name", "gJmoved");
            makeOthers.run();
            others.add(link(adopted, dev) + Ip.ok("-n", adopted, "-j", "address", "show", "dev", dev));
        };
        try (Topology t = b.apply(ApplyOptions.othersAfter(creating(b, dev), takeOver))) {
            assertThat(others).as("taken over").hasSize(1);
            assertThat(link(adopted, dev) + Ip.ok("-n", adopted, "-j", "address", "show", "dev", dev))
                    .as("the other's " + dev + " and its addresses as they were")
                    .isEqualTo(others.get(0))
                    .doesNotContain("\"UP\"")
                    .doesNotContain(address.split("/")[0]);
            assertThat(Ip.ok("-n", adopted, "-4", "-o", "address", "show", "dev", "gJmoved"))
                    .as("the topology's " + dev + ", renamed")
                    .contains(address);
            assertThat(link(adopted, "gJmoved")).contains("\"UP\"");
            Ip.ok("-n", adopted, "link", "del", dev);
        }
        assertThat(Ip.ok("-n", adopted, "-j", "link", "show"))
                .contains("\"lo\"")
                .doesNotContain("gJmoved")
                .doesNotContain("br1")
                .doesNotContain("eth1")
                .doesNotContain("gJp");
    }

    /**
     * After the steps, apply finishes bringing the devices up and waits for DAD by the bridge's index: the
     * renamed bridge is synced and its address out of DAD, the other's br1 untouched.
     */
    @Test
    void anAdoptedBridgeTakenOverGetsItsIpv6AddressThroughDad() {
        Ip.ok("netns", "add", adopted);
        String address = "2001:db8:78::1/64";
        TopologyBuilder b = Topology.create()
                .prefix(p)
                .adopt("app", adopted)
                .bridge("br1")
                .addr(address)
                .ns("c")
                .veth("c0", "app", "eth1")
                .ns("app")
                .dev("eth1")
                .master("br1");
        List<String> others = new ArrayList<>();
        Runnable takeOver = () -> {
            Ip.ok("-n", adopted, "link", "set", "br1", "name", "gJmoved");
            Ip.ok("-n", adopted, "link", "add", "br1", "type", "bridge");
            others.add(link(adopted, "br1") + Ip.ok("-n", adopted, "-j", "address", "show", "dev", "br1"));
        };
        try (Topology t = b.apply(ApplyOptions.othersAfter(creating(b, "br1"), takeOver))) {
            assertThat(others).as("taken over").hasSize(1);
            assertThat(link(adopted, "br1") + Ip.ok("-n", adopted, "-j", "address", "show", "dev", "br1"))
                    .as("the other's br1 and its addresses as they were")
                    .isEqualTo(others.get(0))
                    .doesNotContain("\"UP\"")
                    .doesNotContain("2001:db8:78::1");
            assertThat(link(adopted, "eth1")).as("the topology's eth1").contains("\"master\":\"gJmoved\"");
            assertThat(link(adopted, "gJmoved"))
                    .as("the topology's br1, renamed")
                    .contains("\"UP\"");
            assertThat(Ip.ok("-n", adopted, "-6", "-o", "address", "show", "dev", "gJmoved"))
                    .as("the topology's br1, renamed, its address out of DAD")
                    .contains(address)
                    .doesNotContain("tentative")
                    .doesNotContain("dadfailed");
            Ip.ok("-n", adopted, "link", "del", "br1");
        }
        assertThat(Ip.ok("-n", adopted, "-j", "link", "show"))
                .contains("\"lo\"")
                .doesNotContain("gJmoved")
                .doesNotContain("br1")
                .doesNotContain("eth1");
    }

    @Test
    void aMacvlanGoesOnItsAdoptedLowerDeviceTakenOver() {
        Ip.ok("netns", "add", adopted);
        TopologyBuilder b =
                Topology.create().prefix(p).adopt("app", adopted).bridge("br1").macvlan("mv1", "br1");
        List<String> others = new ArrayList<>();
        Runnable takeOver = () -> {
            Ip.ok("-n", adopted, "link", "set", "br1", "name", "gJmoved");
            Ip.ok("-n", adopted, "link", "add", "br1", "type", "bridge");
            others.add(link(adopted, "br1"));
        };
        try (Topology t = b.apply(ApplyOptions.othersAfter(creating(b, "br1"), takeOver))) {
            assertThat(others).as("taken over").hasSize(1);
            assertThat(link(adopted, "mv1")).as("the macvlan's lower device").contains("\"link\":\"gJmoved\"");
            assertThat(link(adopted, "br1")).as("the other's br1 as it was").isEqualTo(others.get(0));
            Ip.ok("-n", adopted, "link", "del", "br1");
        }
        assertThat(Ip.ok("-n", adopted, "-j", "link", "show"))
                .contains("\"lo\"")
                .doesNotContain("gJmoved")
                .doesNotContain("br1")
                .doesNotContain("mv1");
    }

    @Test
    void anAdoptedVxlanMadeDownTakenOverFailsTheApply() {
        // the kernel echoes no vxlan made down: the device of its name is proven the topology's, and is not
        Ip.ok("netns", "add", adopted);
        TopologyBuilder b = Topology.create()
                .prefix(p)
                .adopt("app", adopted)
                .vxlan("vx1", ThreadLocalRandom.current().nextInt(100_000, 16_000_000))
                .remote("10.213.9.2")
                .down()
                .addr("10.9.5.1/24");
        List<String> others = new ArrayList<>();
        Runnable takeOver = () -> {
            Ip.ok("-n", adopted, "link", "set", "vx1", "name", "gJmoved");
            Ip.ok("-n", adopted, "link", "add", "vx1", "type", "bridge");
            others.add(link(adopted, "vx1") + Ip.ok("-n", adopted, "-j", "address", "show", "dev", "vx1"));
        };
        List<Topology> applied = new ArrayList<>();
        try {
            assertThatThrownBy(() -> applied.add(b.apply(ApplyOptions.othersAfter(creating(b, "vx1"), takeOver))))
                    .isInstanceOf(ApplyException.class)
                    .hasMessageContaining("vx1");
        } finally {
            applied.forEach(Topology::close);
        }
        assertThat(others).as("taken over").hasSize(1);
        assertThat(link(adopted, "vx1") + Ip.ok("-n", adopted, "-j", "address", "show", "dev", "vx1"))
                .as("the other's vx1 and its addresses as they were")
                .isEqualTo(others.get(0))
                .doesNotContain("10.9.5.1");
        Ip.ok("-n", adopted, "link", "del", "vx1");
        assertThat(Ip.ok("-n", adopted, "-j", "link", "show"))
                .contains("\"lo\"")
                .doesNotContain("gJmoved")
                .doesNotContain("vx1");
    }

    /** The index of the step that creates {@code dev} (a veth end: its pair). */
    private static int creating(TopologyBuilder b, String dev) {
        for (Step s : b.plan().steps()) {
            if (s.op() instanceof LinkAddStep add
                    && (add.device().name().equals(dev)
                            || add.device().isVeth() && add.device().peerName().equals(dev))) {
                return s.index();
            }
        }
        throw new AssertionError("no step creates " + dev);
    }

    /** {@code ip -j link show dev DEV} in namespace {@code ns} (null: the root). */
    private static String link(String ns, String dev) {
        return ns == null ? Ip.ok("-j", "link", "show", "dev", dev) : Ip.ok("-n", ns, "-j", "link", "show", "dev", dev);
    }
}
