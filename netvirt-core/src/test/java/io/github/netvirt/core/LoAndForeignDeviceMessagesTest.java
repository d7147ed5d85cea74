package io.github.netvirt.core;

import static io.github.netvirt.core.ValidationTest.assertReported;
import static io.github.netvirt.core.ValidationTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * lo and the devices of adopted and root namespaces are not the topology's: what it says of them is
 * what is true (it configures only the devices it makes), not "never declared" of a device that
 * cannot be declared, nor "no device lo" of a namespace that has one.
 */
class LoAndForeignDeviceMessagesTest {
    private static final String LO = "lo is the loopback device the kernel gives every namespace, not one the"
            + " topology makes: the topology uses and configures only devices it makes (once applied,"
            + " Topology.netlink(\"r\") reaches lo)";

    @Test
    void loSelectedOrUsedIsTheKernelsLoopbackDeviceNotOneNeverDeclared() {
        assertThat(problems(() -> Topology.create().ns("r").dev("lo").addr("10.255.0.1/32")))
                .containsExactly("device r/lo is used (by dev(\"lo\")): " + LO);
        assertThat(problems(() -> Topology.create().ns("r").macvlan("mv", "lo")))
                .containsExactly("device r/lo is used (by macvlan mv): " + LO);
        assertThat(problems(() -> Topology.create()
                        .ns("r")
                        .vxlan("vx", 5)
                        .remote("10.0.0.2")
                        .lower("lo")))
                .containsExactly("device r/lo is used (by vxlan vx): " + LO);
    }

    @Test
    void aRouteOutOfLoIsRefusedAsNotTheTopologysNotAsMissing() {
        assertThat(problems(() -> Topology.create().ns("r").route("10.9.0.0/16", null, "lo")))
                .containsExactly("namespace r: route(\"10.9.0.0/16\", null, \"lo\"): " + LO);
    }

    @Test
    void aDeviceNamedLoSaysWhyItNeedsAnotherName() {
        assertThat(problems(() -> Topology.create().ns("r").bridge("lo")))
                .containsExactly("device r/lo: every namespace already has lo, the loopback device the kernel gives"
                        + " it: a device the topology makes needs another name");
    }

    @Test
    void anAdoptedOrTheRootNamespacesOwnDeviceIsNotTheTopologysToConfigure() {
        assertReported(
                problems(() -> Topology.create()
                        .adopt("x", "fi-no-such-netns")
                        .dev("d0")
                        .addr("10.1.0.1/24")),
                "device x/d0 is used (by dev(\"d0\")) but never declared: in adopted namespace x the topology uses"
                        + " and configures only the devices it makes, not the namespace's own");
        assertReported(
                problems(() -> Topology.create()
                        .adopt("x", "fi-no-such-netns")
                        .veth("e0", "b", "p0")
                        .route("10.9.0.0/16", null, "d0")
                        .ns("b")),
                "namespace x: route(\"10.9.0.0/16\", null, \"d0\"): device d0 is not declared: in adopted namespace x"
                        + " the topology uses and configures only the devices it makes, not the namespace's own");
        assertThat(problems(() -> Topology.create().ns("a").root().dev("eth0").addr("10.66.0.1/32")))
                .containsExactly("device (root)/eth0 is used (by dev(\"eth0\")) but never declared: in the root"
                        + " namespace the topology uses and configures only the devices it makes, not the host's own");
    }

    @Test
    void aDeviceNeverDeclaredInANamespaceTheTopologyMakesIsStillJustThat() {
        assertThat(problems(() -> Topology.create().ns("a").dev("ghost").addr("10.1.0.1/24")))
                .containsExactly("device a/ghost is used (by dev(\"ghost\")) but never declared");
        assertThat(problems(() -> Topology.create().ns("a").route("10.9.0.0/16", null, "ghost")))
                .containsExactly(
                        "namespace a: route(\"10.9.0.0/16\", null, \"ghost\"): no device ghost in namespace a");
    }
}
