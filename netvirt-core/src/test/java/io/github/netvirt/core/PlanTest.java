package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netlink.MacvlanMode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlanTest {

    @Test
    void seedPlanIsOrderedAndComplete() {
        Plan plan = Seeds.seed().plan();
        System.out.println(plan);
        System.out.println(plan.toScript());
        System.out.println(plan.toMermaid());
        List<Action> actions = plan.steps().stream().map(Step::action).toList();
        assertThat(actions)
                .containsExactly(
                        Action.NS_ADD,
                        Action.NS_ADD,
                        Action.NS_ADD,
                        // the bridge, then its ports, each created up and in the bridge (their other ends go up alone)
                        Action.LINK_ADD,
                        Action.LINK_ADD,
                        Action.LINK_ADD,
                        Action.LINK_UP,
                        Action.LINK_UP,
                        Action.ADDR_ADD,
                        Action.ADDR_ADD);
        for (Step s : plan.steps()) {
            assertThat(s.needs()).allMatch(i -> i < s.index());
        }
    }

    @Test
    void aDeviceOnATapIsMadeOnceTheTapsMtuAndMacAreInForce() {
        // the kernel gives a macvlan its lower device's MTU (and refuses a larger one), a vxlan its lower's
        // less the encapsulation, a passthru macvlan its lower's MAC: all read when the device is made
        Plan plan = Topology.create()
                .ns("a")
                .tap("t0")
                .mtu(9000)
                .mac("02:00:00:00:00:01")
                .macvlan("mv", "t0")
                .mtu(9000)
                .vxlan("vx", 5)
                .remote("10.0.0.2")
                .lower("t0")
                .tap("t1")
                .mtu(1400)
                .mac("02:00:00:00:00:02")
                .macvlan("pt", "t1", MacvlanMode.PASSTHRU)
                .macvlan("mm", "mv")
                .plan();
        assertOrdered(plan);
        Step t0 = step(plan, Action.LINK_SET, "t0");
        assertThat(after(plan, step(plan, Action.LINK_ADD, "mv"))).contains(t0.index());
        assertThat(after(plan, step(plan, Action.LINK_ADD, "vx"))).contains(t0.index());
        assertThat(after(plan, step(plan, Action.LINK_ADD, "mm"))).contains(t0.index());
        assertThat(after(plan, step(plan, Action.LINK_ADD, "pt")))
                .contains(step(plan, Action.LINK_SET, "t1").index());
        List<String> script = plan.toScript().lines().toList();
        assertThat(indexOf(script, "link set dev t0 mtu 9000")).isLessThan(indexOf(script, "link add name mv"));
        assertThat(indexOf(script, "link set dev t0 mtu 9000")).isLessThan(indexOf(script, "link add name vx"));
    }

    @Test
    void aDeviceOnABridgeIsMadeOnceTheBridgesPortsHaveJoined() {
        // the bridge takes its ports' smallest MTU as each joins: a tap joins by a step of its own after
        // its MTU, a macvlan in its creation, one level above its lower device
        Plan plan = Topology.create()
                .ns("a")
                .tap("t0")
                .mtu(1400)
                .veth("e0", "b", "e0")
                .macvlan("mp", "e0")
                .mtu(1300)
                .bridge("br")
                .ports("t0", "mp")
                .vxlan("vx", 5)
                .remote("10.0.0.2")
                .lower("br")
                .macvlan("mv", "br")
                .ns("b")
                .plan();
        assertOrdered(plan);
        for (String stacked : List.of("vx", "mv")) {
            Set<Integer> before = after(plan, step(plan, Action.LINK_ADD, stacked));
            assertThat(before)
                    .as(stacked)
                    .contains(
                            step(plan, Action.LINK_SET, "t0").index(),
                            step(plan, Action.LINK_MASTER, "t0").index(),
                            step(plan, Action.LINK_ADD, "mp").index());
        }
    }

    @Test
    void aVethToTheRootDeclaredBeforeTheRootBridgeItsEndJoinsIsMadeAfterTheBridge() {
        // the seed's shape with the root as the bridge namespace: made from net0's end, the veth's
        // root end joins by a step of its own, once the bridge it is declared before is made
        Plan plan = Topology.create()
                .prefix("pt-")
                .ns("net0")
                .veth("eth0", Topology.ROOT, "ptv0")
                .addr("10.236.0.2/24")
                .root()
                .bridge("ptbr")
                .ports("ptv0")
                .addr("10.236.0.1/24")
                .plan();
        assertOrdered(plan);
        Step veth = step(plan, Action.LINK_ADD, "eth0");
        Step join = step(plan, Action.LINK_MASTER, "ptv0");
        assertThat(veth.ns()).isEqualTo("net0");
        assertThat(veth.index())
                .isGreaterThan(step(plan, Action.LINK_ADD, "ptbr").index());
        assertThat(join.needs())
                .contains(veth.index(), step(plan, Action.LINK_ADD, "ptbr").index());
    }

    private static void assertOrdered(Plan plan) {
        for (Step s : plan.steps()) {
            assertThat(s.needs()).allMatch(i -> i < s.index());
        }
    }

    /** The one step of {@code action} on device {@code name}. */
    private static Step step(Plan plan, Action action, String name) {
        return plan.steps().stream()
                .filter(s -> s.action() == action
                        && s.op() instanceof DeviceStep d
                        && d.device().name().equals(name))
                .reduce((x, y) -> {
                    throw new AssertionError("two " + action + " steps on " + name);
                })
                .orElseThrow(() -> new AssertionError("no " + action + " step on " + name + " in\n" + plan));
    }

    /** The steps {@code s} needs, directly or through others. */
    private static Set<Integer> after(Plan plan, Step s) {
        Set<Integer> seen = new HashSet<>();
        Deque<Integer> todo = new ArrayDeque<>(s.needs());
        while (!todo.isEmpty()) {
            int i = todo.pop();
            if (seen.add(i)) {
                todo.addAll(plan.steps().get(i).needs());
            }
        }
        return seen;
    }

    private static int indexOf(List<String> script, String part) {
        for (int i = 0; i < script.size(); i++) {
            if (script.get(i).contains(part)) {
                return i;
            }
        }
        throw new AssertionError("no line with " + part + " in " + script);
    }
}
