package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The Mermaid diagram and the iproute2 script, as text (the script is also run: ScriptTest). */
class DiagramAndScriptTest {

    @Test
    void seedDiagramShowsNamespacesDevicesAndLinks() {
        String m = Seeds.seed().toMermaid();
        assertThat(m)
                .startsWith("flowchart LR\n")
                .contains("subgraph ns0[\"net0\"]")
                .contains("subgraph ns1[\"net1\"]")
                .contains("subgraph ns2[\"bridge\"]")
                .contains("[\"net0-bridge<br/>10.0.1.1/24\"]")
                .contains("{{\"br (bridge)\"}}");
        assertThat(m.lines().filter(l -> l.contains("<-- veth -->"))).hasSize(2);
        assertThat(m.lines().filter(l -> l.matches("\\s+d\\d+ --- d\\d+"))).hasSize(2);
        assertThat(m.lines().filter(l -> l.trim().equals("end"))).hasSize(3);
    }

    @Test
    void diagramShowsKindsDownDevicesAndRoutes() {
        String m = Topology.create()
                .ns("a")
                .tap("t0")
                .veth("e0", "e1")
                .down()
                .macvlan("mv", "e1")
                .vxlan("vx", 9)
                .remote("10.0.0.2")
                .dev("e1")
                .addr("10.0.0.1/24")
                .gateway("10.0.0.9")
                .forwarding()
                .toMermaid();
        assertThat(m)
                .contains("([\"t0 (tap)\"])")
                .contains("e0<br/>down")
                .contains("-. macvlan .->")
                .contains("vx (vxlan 9 to 10.0.0.2)")
                .contains("%% route default via 10.0.0.9")
                .contains("a (forwarding)");
    }

    @Test
    void scriptUsesIproute2VerbsPrefixAndQuoting() {
        String s = Topology.create()
                .prefix("p x-")
                .ns("a")
                .veth("e0", Topology.ROOT, "host0")
                .mtu(1400)
                .mac("02:00:00:00:00:01")
                .dev("e0")
                .addr("fd00::1/64")
                .route("10.9.0.0/16", null, "e0")
                .ns("b")
                .veth("e0", "a", "e1")
                .ns("a")
                .dev("e1")
                .mtu(1300)
                .toScript();
        assertThat(s)
                .startsWith("#!/bin/sh\n# netvirt plan:")
                .contains("set -e\n")
                .contains("ip netns add 'p x-a'\n")
                .contains("ip -n 'p x-a' link set dev lo up\n")
                .contains(
                        "ip -n 'p x-a' link add name e0 mtu 1400 address 02:00:00:00:00:01 up type veth peer name host0 netns $$\n")
                .contains("ip -n 'p x-b' link add name e0 up type veth peer name e1 mtu 1300 netns 'p x-a'\n")
                .contains("echo 0 | ip netns exec 'p x-a' tee /proc/sys/net/ipv6/conf/default/accept_dad >/dev/null\n")
                .contains("ip -n 'p x-a' address add fd00::1/64 dev e0 nodad\n")
                .contains("ip -n 'p x-a' route add 10.9.0.0/16 dev e0\n")
                .contains("ip link set dev host0 up\n");
    }

    @Test
    void aScriptWithATapSaysWhatIproute2sTapLacks() {
        // a tester's sh of the script found taps without carrier and their bridge ports disabled, unexplained
        String withTap = Topology.create().ns("a").tap("t0").toScript();
        assertThat(withTap).contains("# (iproute2 makes a tap persistent and with no program on it: no carrier");
        assertThat(Topology.create().ns("a").bridge("b0").toScript()).doesNotContain("persistent");
    }

    @Test
    void planStepsNeedOnlyEarlierSteps() {
        Plan plan = Topology.create()
                .ns("r")
                .forwarding()
                .bridge("br")
                .tap("t")
                .mtu(1400)
                .master("br")
                .ns("h")
                .veth("e", "r", "p")
                .addr("10.0.0.2/24")
                .gateway("10.0.0.1")
                .ns("r")
                .dev("br")
                .addr("10.0.0.1/24")
                .macvlan("mv", "p") // p is no port of br: a bridge's port cannot be a macvlan's lower device
                .plan();
        plan.steps().forEach(s -> assertThat(s.needs()).allMatch(i -> i < s.index()));
        assertThat(plan.steps().stream().map(s -> s.action()).distinct())
                .containsExactly(
                        Action.NS_ADD,
                        Action.LINK_ADD,
                        Action.LINK_SET,
                        Action.LINK_MASTER,
                        Action.LINK_UP,
                        Action.ADDR_ADD,
                        Action.ROUTE_ADD,
                        Action.FORWARDING);
        // the macvlan comes after its lower device p, made with its peer e by a request from namespace h
        int veth = linkAddIndex(plan, "e");
        int mv = linkAddIndex(plan, "mv");
        assertThat(mv).isGreaterThan(veth);
        assertThat(plan.steps().get(mv).needs()).contains(veth);
    }

    /** The index of the step that creates device {@code name}. */
    private static int linkAddIndex(Plan plan, String name) {
        return plan.steps().stream()
                .filter(s ->
                        s.op() instanceof LinkAddStep l && l.device().name().equals(name))
                .findFirst()
                .orElseThrow()
                .index();
    }
}
