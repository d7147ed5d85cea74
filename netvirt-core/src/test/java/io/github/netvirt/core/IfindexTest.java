package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netlink.Link;
import io.github.netvirt.netlink.LinkSpec;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A new namespace may already hold devices besides {@code lo}: with the ipip, sit or gre modules
 * loaded ({@code net.core.fb_tunnels_only_for_init_net=0}, the default) the kernel puts
 * {@code tunl0}, {@code sit0}, ... at ifindex 2, 3, ... of every new namespace. This kernel has no
 * such modules, so the tests put bridges there before the topology's devices are made. netvirt
 * numbers its own above {@link Ifindexes#KERNELS}, clear of them.
 */
@RequiresRoot
class IfindexTest {

    /** Where the occupants are, by namespace: name -> ifindex as the kernel reported it. */
    private final Map<NetNamespace, Map<String, Integer>> occupants = new ConcurrentHashMap<>();

    private Consumer<NetNamespace> occupy(int... explicit) {
        return ns -> {
            try (NetlinkHandle h = NetlinkHandle.open(ns)) {
                Map<String, Integer> made = new LinkedHashMap<>();
                // like the fallback tunnels: kernel-assigned, right after lo
                h.linkAdd(LinkSpec.bridge("fb0"));
                h.linkAdd(LinkSpec.bridge("fb1"));
                for (int i = 0; i < explicit.length; i++) {
                    h.linkAdd(LinkSpec.bridge("fbx" + i).index(explicit[i]));
                }
                for (Link l : h.linkList()) {
                    if (l.name().startsWith("fb")) {
                        made.put(l.name(), l.index());
                    }
                }
                occupants.put(ns, made);
            }
        };
    }

    @Test
    void theDevicesAreNumberedAboveTheKernelsIndexes() throws Exception {
        String p = TestNames.unique("hEio") + "-";
        int k = Ifindexes.KERNELS;
        try (Topology t = Seeds.seed().prefix(p).apply()) {
            assertThat(t.linkList("bridge")).extracting(Link::index).containsExactlyInAnyOrder(1, k + 1, k + 2, k + 3);
            assertThat(t.linkList("net0")).extracting(Link::index).containsExactlyInAnyOrder(1, k + 1);
            assertThat(t.link("bridge", "bridge-net1").master())
                    .hasValue(t.link("bridge", "br").index());
            assertThat(Tcp.echo(t.namespace("net0"), t.namespace("net1"), "10.0.1.2", 5720, "from 2"))
                    .isEqualTo("from 2");
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    @Test
    void devicesAlreadyInANewNamespaceKeepTheirIndexes() throws Exception {
        TopologyBuilder b = Seeds.seed().ephemeral();
        b.ns("net0").tap("tap0").addr("10.0.9.1/24");
        try (Topology t = b.apply(new ApplyOptions(-1, occupy()))) {
            assertThat(occupants).hasSize(3);
            for (String ns : List.of("net0", "net1", "bridge")) {
                NetNamespace h = t.namespace(ns);
                Map<String, Integer> before = occupants.get(h);
                assertThat(before).containsEntry("fb0", 2).containsEntry("fb1", 3);
                List<Link> links = t.linkList(ns);
                for (Map.Entry<String, Integer> o : before.entrySet()) {
                    assertThat(links)
                            .as("%s in %s", o.getKey(), ns)
                            .anyMatch(l -> l.name().equals(o.getKey()) && l.index() == o.getValue());
                }
            }
            assertThat(t.link("bridge", "bridge-net0").master())
                    .hasValue(t.link("bridge", "br").index());
            assertThat(t.link("net0", "tap0").isUp()).isTrue();
            assertThat(Tcp.echo(t.namespace("net0"), t.namespace("net1"), "10.0.1.2", 5700, "around fb0"))
                    .isEqualTo("around fb0");
        }
    }

    @Test
    void devicesAtExplicitIndexesInTheKernelsRangeAreLeftAlone() throws Exception {
        String p = TestNames.unique("hEix") + "-";
        // indexes 4 and 6 taken explicitly, below netvirt's: its own are above them, and above KERNELS
        TopologyBuilder b = Seeds.seed().prefix(p);
        b.ns("net1").tap("tap0").tap("tap1");
        try (Topology t = b.apply(new ApplyOptions(-1, occupy(4, 6)))) {
            NetNamespace h = t.namespace("net1");
            assertThat(occupants.get(h)).containsEntry("fbx0", 4).containsEntry("fbx1", 6);
            List<Link> links = t.linkList("net1");
            assertThat(links)
                    .extracting(Link::name)
                    .contains("fb0", "fb1", "fbx0", "fbx1", "tap0", "tap1", "net1-bridge");
            assertThat(links).anyMatch(l -> l.name().equals("fbx1") && l.index() == 6);
            assertThat(Tcp.echo(t.namespace("net1"), t.namespace("net0"), "10.0.1.1", 5710, "past 6"))
                    .isEqualTo("past 6");
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    /**
     * The kernel takes a veth peer's ifindex only when the request gives the end it creates one too
     * (veth_newlink), and netvirt numbers nothing in a namespace it did not make (here an adopted
     * one): such a veth is made from its end in the new namespace, which netvirt numbers beside the tap.
     */
    @Test
    void aVethEndCreatedFromAnAdoptedNamespaceIsNotTakenForTheTap() throws Exception {
        String p = TestNames.unique("rg") + "-";
        String foreign = p + "x";
        Ip.ok("netns", "add", foreign);
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);
                Topology t = Topology.create()
                        .prefix(p)
                        .adopt("x", foreign)
                        .veth("x0", "a", "a0")
                        .addr("10.74.0.2/24")
                        .ns("a")
                        .tap("tap0")
                        .dev("a0")
                        .addr("10.74.0.1/24")
                        .apply()) {
            assertThat(t.link("a", "a0").isUp()).isTrue();
            assertThat(addressesOf(t, "a", "a0")).containsExactly("10.74.0.1/24");
            assertThat(addressesOf(t, "a", "tap0")).isEmpty();
            assertThat(Tcp.echo(t.namespace("a"), t.namespace("x"), "10.74.0.2", 5730, "adopted"))
                    .isEqualTo("adopted");
        }
    }

    /** The same for a change: a new host's veth end made from a namespace that is there. */
    @Test
    void aNewHostsVethEndMadeFromAHostThatIsThereIsNotTakenForTheTap() throws Exception {
        String p = TestNames.unique("rg") + "-";
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);
                Topology t = Seeds.seed().prefix(p).apply()) {
            t.change()
                    .ns("net0")
                    .veth("net0-net2", "net2", "net2-net0")
                    .addr("10.75.0.1/24")
                    .ns("net2")
                    .tap("tap0")
                    .dev("net2-net0")
                    .addr("10.75.0.2/24")
                    .apply();
            assertThat(t.link("net2", "net2-net0").isUp()).isTrue();
            assertThat(addressesOf(t, "net2", "net2-net0")).containsExactly("10.75.0.2/24");
            assertThat(addressesOf(t, "net2", "tap0")).isEmpty();
            assertThat(Tcp.echo(t.namespace("net2"), t.namespace("net0"), "10.75.0.1", 5731, "changed"))
                    .isEqualTo("changed");
        }
    }

    /** The IPv4 addresses of device {@code dev} of namespace {@code ns}, as the kernel lists them. */
    private static List<String> addressesOf(Topology t, String ns, String dev) {
        int index = t.link(ns, dev).index();
        return t.addrList(ns).stream()
                .filter(a -> a.index() == index && a.prefix().isIpv4())
                .map(a -> a.prefix().toString())
                .toList();
    }
}
