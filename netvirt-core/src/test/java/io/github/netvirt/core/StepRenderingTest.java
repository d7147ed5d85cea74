package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.netvirt.core.spec.Kind;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.NetlinkBatch;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every kind of {@link Step} renders itself both ways, iproute2 commands and kernel request, from
 * the same record: the script and the applied network cannot drift apart. No root, no kernel change.
 */
class StepRenderingTest {

    private static TopologyBuilder every() {
        return Topology.create()
                .prefix("sr-")
                .ns("r")
                .forwarding()
                .bridge("br")
                .addr("10.0.0.1/24")
                .tap("t")
                .mtu(1400)
                .mac("02:00:00:00:00:09")
                .master("br")
                .veth("e0", "h", "e1")
                .master("br")
                .rate("10mbit")
                .macvlan("mv", "br") // not on e0: a bridge's port cannot be a macvlan's lower device
                .vxlan("vx", 42)
                .remote("10.0.0.7")
                .lower("br")
                .ns("h")
                .dev("e1")
                .addr("10.0.0.2/24")
                .addr("10.0.0.3/24")
                .gateway("10.0.0.1")
                .ns("gone")
                .veth("g0", "r", "g1");
    }

    /**
     * One step of each kind: a plan of {@link #every()}, its link condition, and the change that takes a
     * route, a device, an address and a namespace away and adds the first IPv6 address, and the one that
     * takes it away again.
     */
    private static Map<Class<?>, Step> samples() {
        Plan before = every().plan();
        TopologySpec after = every().ns("h")
                .removeRoute("default")
                .dev("e1")
                .removeAddr("10.0.0.3/24")
                .addr("fd00:5::2/64") // the first IPv6 address: DAD turned off in the namespaces there
                .ns("r")
                .removeDevice("mv")
                .removeNamespace("gone")
                .spec();
        List<Step> all = new ArrayList<>(before.steps());
        all.addAll(Delta.of(before, after).steps());
        // and the change that takes the last IPv6 address away: DAD turned on again
        all.addAll(Delta.of(Delta.of(before, after), every().spec()).steps());
        all.addAll(LinkConditions.steps(before));
        Map<Class<?>, Step> one = new LinkedHashMap<>();
        all.forEach(s -> one.putIfAbsent(s.op().getClass(), s));
        return one;
    }

    /** The records that implement {@link Op}, through its sealed subinterfaces: one per kind of step. */
    private static List<Class<?>> kinds() {
        List<Class<?>> records = new ArrayList<>();
        List<Class<?>> todo = new ArrayList<>(List.of(Op.class));
        while (!todo.isEmpty()) {
            Class<?> c = todo.remove(0);
            if (c.isSealed()) {
                todo.addAll(Arrays.asList(c.getPermittedSubclasses()));
            } else {
                records.add(c);
            }
        }
        return records;
    }

    @Test
    void everyKindOfStepHasBothRenderings() throws Exception {
        Map<Class<?>, Step> samples = samples();
        assertThat(samples.keySet()).containsExactlyInAnyOrderElementsOf(kinds());
        for (Class<?> kind : kinds()) {
            assertThat(kind.isRecord()).as(kind.getSimpleName()).isTrue();
            // declared by the record itself, next to its commands (not a default inherited from elsewhere)
            Method carryOut = kind.getDeclaredMethod("carryOut", Op.Kernel.class);
            Method commands = kind.getDeclaredMethod("commands");
            assertThat(carryOut.getDeclaringClass()).isEqualTo(commands.getDeclaringClass());
            Step s = samples.get(kind);
            assertThat(s.commands())
                    .as(s.describe())
                    .isNotEmpty()
                    .allMatch(c -> c.startsWith("ip ")
                            || c.startsWith("# ephemeral namespace")
                            || c.startsWith("# link condition ")
                            || c.startsWith("tc -n ")
                            || c.matches("echo [01] \\| ip netns exec \\S+ tee( /proc/sys/net/\\S+)+ >/dev/null"));
            assertThat(s.describe()).startsWith("#" + s.index() + " " + s.action() + " ");
            Step moved = s.at(s.index() + 100, s.needs());
            assertThat(moved.commands()).isEqualTo(s.commands());
            assertThat(moved.index()).isEqualTo(s.index() + 100);
        }
    }

    @Test
    void everyKindOfDeviceHasBothRenderings() {
        List<LinkAddStep> adds = every().plan().steps().stream()
                .filter(s -> s.op() instanceof LinkAddStep)
                .map(s -> (LinkAddStep) s.op())
                .toList();
        assertThat(adds.stream().map(a -> a.device().kind())).containsAll(List.of(Kind.values()));
        for (LinkAddStep a : adds) {
            String first = a.commands().get(0);
            assertThat(first)
                    .as(a.subject())
                    .contains(
                            a.device().kind() == Kind.TAP
                                    ? " tuntap add dev " + a.device().name()
                                    : " link add name " + a.device().name())
                    .contains(a.device().kind().iproute2());
            // only a tap is made outside the netlink batch (batchedStepsMakeTheirNetlinkRequest makes the others')
            assertThat(a.batched()).isEqualTo(a.device().kind() != Kind.TAP);
        }
    }

    @Test
    void batchedStepsMakeTheirNetlinkRequest() {
        NetNamespace own;
        NetlinkHandle h;
        try {
            own = NetNamespace.ofProcess(ProcessHandle.current().pid());
            h = NetlinkHandle.open(own);
        } catch (RuntimeException e) {
            assumeTrue(false, "no netlink handle on the JVM's own namespace here: " + e);
            return;
        }
        try (own;
                h) {
            Resources res = new Resources();
            for (String ns : List.of("r", "h", "gone")) {
                res.hosts.put(ns, own);
            }
            List<Class<?>> rendered = new ArrayList<>();
            List<Kind> kinds = new ArrayList<>();
            List<Step> steps = new ArrayList<>(samples().values());
            steps.addAll(every().plan().steps().stream()
                    .filter(s -> s.op() instanceof LinkAddStep)
                    .toList());
            for (Step s : steps) {
                Op k = s.op();
                if (!k.batched()) {
                    continue;
                }
                NetlinkBatch batch = h.batch();
                k.carryOut(new Op.Unplanned(res, batch, null));
                assertThat(batch.size()).as(s.describe()).isPositive();
                assertThat(batch.descriptions()).as(s.describe()).allMatch(d -> d.startsWith("RTM_NEW"));
                rendered.add(k.getClass());
                if (k instanceof LinkAddStep add) {
                    kinds.add(add.device().kind());
                }
            }
            // all but the namespaces, sysctls, removals (system calls of their own) and conditions, every kind of
            // device but the tap
            assertThat(rendered)
                    .containsAll(kinds().stream()
                            .filter(c -> !Arrays.asList(
                                            ForwardingStep.class,
                                            DadOffStep.class,
                                            DadOnStep.class,
                                            NsAddStep.class,
                                            RouteDelStep.class,
                                            AddrDelStep.class,
                                            LinkDelStep.class,
                                            NsDelStep.class,
                                            ConditionStep.class)
                                    .contains(c))
                            .toList());
            assertThat(kinds)
                    .containsAll(Arrays.stream(Kind.values())
                            .filter(x -> x != Kind.TAP)
                            .toList());
        }
    }
}
