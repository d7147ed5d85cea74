package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
        return Topology.create().prefix("sr-").ns("r").forwarding().bridge("br").addr("10.0.0.1/24")
                .tap("t").mtu(1400).mac("02:00:00:00:00:09").master("br")
                .veth("e0", "h", "e1").master("br")
                .macvlan("mv", "e0").vxlan("vx", 42).remote("10.0.0.7").lower("br")
                .ns("h").dev("e1").addr("10.0.0.2/24").addr("10.0.0.3/24").gateway("10.0.0.1")
                .ns("gone").veth("g0", "r", "g1");
    }

    /** One step of each kind: a plan of {@link #every()} and the change that takes a device, an address and a namespace away. */
    private static Map<Class<?>, Step> samples() {
        Plan before = every().plan();
        TopologySpec after = every().ns("h").dev("e1").removeAddr("10.0.0.3/24").ns("r").removeDevice("mv")
                .removeNamespace("gone").spec();
        List<Step> all = new ArrayList<>(before.steps());
        all.addAll(Delta.of(before, after).steps());
        Map<Class<?>, Step> one = new LinkedHashMap<>();
        all.forEach(s -> one.putIfAbsent(s.getClass(), s));
        return one;
    }

    @Test
    void everyKindOfStepHasBothRenderings() throws Exception {
        Map<Class<?>, Step> samples = samples();
        assertThat(samples.keySet()).containsExactlyInAnyOrder(Step.class.getPermittedSubclasses());
        for (Class<?> kind : Step.class.getPermittedSubclasses()) {
            assertThat(KernelStep.class).as(kind.getSimpleName()).isAssignableFrom(kind);
            // declared by the record itself, next to its commands (not a default inherited from elsewhere)
            Method carryOut = kind.getDeclaredMethod("carryOut", KernelStep.Kernel.class);
            Method commands = kind.getDeclaredMethod("commands");
            assertThat(carryOut.getDeclaringClass()).isEqualTo(commands.getDeclaringClass());
            Step s = samples.get(kind);
            assertThat(s.commands()).as(s.describe()).isNotEmpty()
                    .allMatch(c -> c.startsWith("ip ") || c.startsWith("# ephemeral namespace"));
            assertThat(s.describe()).startsWith("#" + s.index() + " " + s.action() + " ");
            Step moved = KernelStep.of(s).at(s.index() + 100, s.needs());
            assertThat(moved.commands()).isEqualTo(s.commands());
            assertThat(moved.index()).isEqualTo(s.index() + 100);
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
        try (own; h) {
            Resources res = new Resources();
            for (String ns : List.of("r", "h", "gone")) {
                res.hosts.put(ns, own);
            }
            int tested = 0;
            for (Step s : samples().values()) {
                KernelStep k = KernelStep.of(s);
                if (!k.batched()) {
                    continue;
                }
                NetlinkBatch batch = h.batch();
                k.carryOut(new KernelStep.Kernel() {
                    @Override
                    public Resources res() {
                        return res;
                    }

                    @Override
                    public NetlinkBatch batch() {
                        return batch;
                    }

                    @Override
                    public Integer index(DeviceKey dev) {
                        return null;
                    }

                    @Override
                    public void indexed(DeviceKey dev, int ifindex) {
                    }

                    @Override
                    public int group(String ns) {
                        return 0;
                    }
                });
                assertThat(batch.size()).as(s.describe()).isPositive();
                assertThat(batch.descriptions()).as(s.describe()).allMatch(d -> d.startsWith("RTM_NEW"));
                tested++;
            }
            assertThat(tested).isEqualTo(Arrays.stream(Step.class.getPermittedSubclasses())
                    .filter(c -> !Arrays.asList(TapAddStep.class, ForwardingStep.class, NsAddStep.class,
                            AddrDelStep.class, LinkDelStep.class, NsDelStep.class).contains(c)).count());
        }
    }
}
