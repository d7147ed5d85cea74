package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the plan says about duplicate address detection, without root: {@code nodad} on IPv6
 * addresses in namespaces netvirt makes, DAD kept in the root namespace, the namespaces' DAD turned
 * off only in a topology with IPv6, and a change that adds the first IPv6 address makes no
 * namespace again.
 */
class DadPlanTest {

    private static TopologyBuilder ipv4() {
        return Topology.create()
                .prefix("dp-")
                .root()
                .veth("dpr0", "a", "eth1")
                .addr("10.9.1.1/24")
                .ns("a")
                .veth("eth0", "b", "eth0")
                .addr("10.9.0.1/24")
                .ns("b")
                .dev("eth0")
                .addr("10.9.0.2/24");
    }

    private static List<String> commands(Plan p, Action action) {
        return p.steps().stream()
                .filter(s -> s.action() == action)
                .flatMap(s -> s.commands().stream())
                .toList();
    }

    @Test
    void anIpv4OnlyTopologyHasNoDadCommands() {
        Plan p = ipv4().plan();
        assertThat(p.steps()).allSatisfy(s -> assertThat(s.commands()).noneMatch(c -> c.contains("dad")));
    }

    @Test
    void ipv6AddressesGoNodadOnlyInNamespacesNetvirtMakes() {
        Plan p = ipv4().ns("a")
                .dev("eth0")
                .addr("fd00:9::1/64")
                .root()
                .dev("dpr0")
                .addr("fd00:8::1/64")
                .plan();
        assertThat(commands(p, Action.ADDR_ADD))
                .contains("ip -n dp-a address add fd00:9::1/64 dev eth0 nodad")
                .contains("ip address add fd00:8::1/64 dev dpr0")
                .contains("ip -n dp-a address add 10.9.0.1/24 dev eth0");
        assertThat(commands(p, Action.NS_ADD))
                .contains(
                        "echo 0 | ip netns exec dp-a tee /proc/sys/net/ipv6/conf/default/accept_dad >/dev/null",
                        "echo 0 | ip netns exec dp-b tee /proc/sys/net/ipv6/conf/default/accept_dad >/dev/null");
    }

    @Test
    void anIpv6RouteAloneTurnsDadOffInTheNamespaces() {
        Plan p = ipv4().ns("b").route("fd00:7::/64", "fe80::1", "eth0").plan();
        assertThat(commands(p, Action.NS_ADD))
                .anyMatch(c -> c.contains("tee /proc/sys/net/ipv6/conf/default/accept_dad"));
    }

    @Test
    void aChangeAddingTheFirstIpv6AddressMakesNoNamespaceAgain() {
        Plan before = ipv4().plan();
        Plan delta = Delta.of(
                before,
                ipv4().ns("a")
                        .dev("eth0")
                        .addr("fd00:9::1/64")
                        .ns("c")
                        .veth("eth0", "a", "c0")
                        .spec());
        assertThat(delta.steps())
                .filteredOn(s -> s.action() == Action.NS_ADD)
                .singleElement()
                .satisfies(s -> assertThat(s.ns()).isEqualTo("c"))
                .satisfies(s -> assertThat(s.commands())
                        .anyMatch(c -> c.contains("tee /proc/sys/net/ipv6/conf/default/accept_dad")));
        assertThat(commands(delta, Action.ADDR_ADD))
                .containsExactly("ip -n dp-a address add fd00:9::1/64 dev eth0 nodad");
    }

    /**
     * The change that gives an IPv4-only topology its first IPv6 address turns DAD off in each
     * namespace netvirt made that it keeps (default and each of the topology's devices there, lo not:
     * apply leaves it as the kernel made it), and its script says so, before anything it makes there:
     * the base's script and then the change's give the network the change gives. Failed before the
     * fix: the change's script had no sysctl (the change wrote them outside its plan).
     */
    @Test
    void aChangeAddingTheFirstIpv6AddressTurnsDadOffInItsScript() {
        Plan before = ipv4().plan();
        Plan delta = Delta.of(
                before,
                ipv4().ns("a")
                        .dev("eth0")
                        .addr("fd00:9::1/64")
                        .ns("c")
                        .veth("eth0", "a", "c0")
                        .spec());
        List<String> script = delta.toScript().lines().toList();
        String a = "echo 0 | ip netns exec dp-a tee /proc/sys/net/ipv6/conf/default/accept_dad"
                + " /proc/sys/net/ipv6/conf/eth1/accept_dad /proc/sys/net/ipv6/conf/eth0/accept_dad >/dev/null";
        String b = "echo 0 | ip netns exec dp-b tee /proc/sys/net/ipv6/conf/default/accept_dad"
                + " /proc/sys/net/ipv6/conf/eth0/accept_dad >/dev/null";
        assertThat(script).contains(a, b).noneMatch(l -> l.contains("/lo/accept_dad"));
        // not in the root namespace, where DAD stays on
        assertThat(script)
                .filteredOn(l -> l.contains("accept_dad") && !l.startsWith("echo 0 | ip netns exec dp-"))
                .isEmpty();
        // before the address on a's eth0 and before the veth whose end c0 is made in a
        assertThat(script.indexOf(a))
                .isLessThan(script.indexOf("ip -n dp-a address add fd00:9::1/64 dev eth0 nodad"))
                .isLessThan(script.indexOf(script.stream()
                        .filter(l -> l.startsWith("ip -n dp-c link add"))
                        .findFirst()
                        .orElseThrow()));
        Step off = delta.steps().stream()
                .filter(s -> s.commands().contains(a))
                .findFirst()
                .orElseThrow();
        assertThat(delta.steps())
                .filteredOn(s -> s.op() instanceof LinkAddStep l
                        && l.device().peerNs() != null
                        && l.device().peerNs().equals("a"))
                .singleElement()
                .satisfies(s -> assertThat(s.needs()).contains(off.index()));
    }

    @Test
    void aChangeOfATopologyWithIpv6AlreadyTurnsNoDadOff() {
        TopologyBuilder v6 = ipv4().ns("a").dev("eth0").addr("fd00:9::1/64");
        Plan delta = Delta.of(
                v6.plan(),
                ipv4().ns("a")
                        .dev("eth0")
                        .addr("fd00:9::1/64")
                        .addr("fd00:9::2/64")
                        .spec());
        assertThat(delta.toScript()).doesNotContain("accept_dad");
    }
}
