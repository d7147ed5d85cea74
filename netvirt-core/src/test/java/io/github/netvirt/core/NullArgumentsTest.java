package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.netvirt.core.spec.LinkCondition;
import io.github.netvirt.netlink.MacvlanMode;
import io.github.netvirt.netns.NetNamespace;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * A null argument to the public DSL fails before anything is done, naming the parameter. What
 * {@code apply()} returns, a {@link Topology}: each reference parameter of each of its public methods,
 * null in turn, throws a {@link NullPointerException} whose message is the parameter's name, checked
 * first (the topology here is a shell with nothing behind it: a check that came after its first use
 * would throw something else). The {@link TopologyBuilder}, which reports a description's mistakes
 * together ({@link InvalidTopologyException} from {@code spec()}, {@code plan()}, {@code apply()},
 * before the kernel is touched): the call throws nothing, and the description's one problem names
 * the call and what is null. Both lists are checked against the classes' public methods by
 * reflection, so a new one must be added here. No root, no kernel.
 */
class NullArgumentsTest {
    /**
     * One null argument: {@code entry} as {@code name(Type,Type)}, the null parameter's position, what
     * it gives (the exception's message, or the builder's problem) and the call (returning the builder).
     */
    private record Case(String entry, int index, String expected, Supplier<Object> call) {}

    /** Builder parameters null stands for something in: a route via a gateway alone or out of a device alone. */
    private static final Set<String> NULLABLE = Set.of(
            "route(String,String,String)#1",
            "route(String,String,String)#2",
            "removeRoute(String,String,String)#1",
            "removeRoute(String,String,String)#2");

    private static Topology shell() throws ReflectiveOperationException {
        Constructor<Topology> t = Topology.class.getDeclaredConstructor(Plan.class, Resources.class, long.class);
        t.setAccessible(true);
        return t.newInstance(null, null, 0L);
    }

    private static List<Case> topologyCases() throws ReflectiveOperationException {
        Topology shell = shell();
        LinkCondition slow = LinkCondition.NONE.withDelay(Duration.ofMillis(5));
        Path file = Path.of("sa8-never-written.pcap");
        List<Case> c = new ArrayList<>();
        c.add(t("namespace(String)", 0, "ns", () -> shell.namespace(null)));
        c.add(t("address(String)", 0, "host", () -> shell.address(null)));
        c.add(t("netlink(String)", 0, "ns", () -> shell.netlink(null)));
        c.add(t("down(String,String)", 0, "ns", () -> shell.down(null, "e0")));
        c.add(t("down(String,String)", 1, "dev", () -> shell.down("a", null)));
        c.add(t("up(String,String)", 0, "ns", () -> shell.up(null, "e0")));
        c.add(t("up(String,String)", 1, "dev", () -> shell.up("a", null)));
        c.add(t("tap(String,String)", 0, "ns", () -> shell.tap(null, "t0")));
        c.add(t("tap(String,String)", 1, "dev", () -> shell.tap("a", null)));
        c.add(t("capture(String,String,Path)", 0, "ns", () -> capture(shell, null, "e0", file)));
        c.add(t("capture(String,String,Path)", 1, "dev", () -> capture(shell, "a", null, file)));
        c.add(t("capture(String,String,Path)", 2, "file", () -> capture(shell, "a", "e0", null)));
        c.add(t("linkList(String)", 0, "ns", () -> shell.linkList(null)));
        c.add(t("link(String,String)", 0, "ns", () -> shell.link(null, "e0")));
        c.add(t("link(String,String)", 1, "dev", () -> shell.link("a", null)));
        c.add(t("addrList(String)", 0, "ns", () -> shell.addrList(null)));
        c.add(t("routeList(String)", 0, "ns", () -> shell.routeList(null)));
        c.add(t("condition(String,String,LinkCondition)", 0, "ns", () -> shell.condition(null, "e0", slow)));
        c.add(t("condition(String,String,LinkCondition)", 1, "dev", () -> shell.condition("a", null, slow)));
        c.add(t("condition(String,String,LinkCondition)", 2, "condition", () -> shell.condition("a", "e0", null)));
        return c;
    }

    private static void capture(Topology t, String ns, String dev, Path file) {
        try {
            t.capture(ns, dev, file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void eachNullArgumentOfATopologyIsANullPointerExceptionNamingIt() throws ReflectiveOperationException {
        SoftAssertions soft = new SoftAssertions();
        for (Case c : topologyCases()) {
            soft.assertThat(catchThrowable(c.call()::get))
                    .as("%s#%d", c.entry(), c.index())
                    .isExactlyInstanceOf(NullPointerException.class)
                    .hasMessage(c.expected());
        }
        soft.assertAll();
    }

    /** The one static entry with a reference parameter: an empty or null name would match every detached topology. */
    @Test
    void removeDetachedOfNullIsRefusedSayingSo() {
        assertThat(catchThrowable(() -> Topology.removeDetached(null)))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("removeDetached needs a namespace name or a prefix, got null");
    }

    private static TopologyBuilder veth() {
        return Topology.create().ns("a").veth("e0", "e1").addr("10.58.0.1/24");
    }

    private static TopologyBuilder vxlan() {
        return Topology.create().ns("a").vxlan("vx", 5).remote("10.58.0.2");
    }

    private static Case b(String entry, int index, String expected, Supplier<TopologyBuilder> call) {
        return new Case(entry, index, expected, call::get);
    }

    private static Case t(String entry, int index, String name, Runnable call) {
        return new Case(entry, index, name, () -> {
            call.run();
            return null;
        });
    }

    private static List<Case> builderCases() {
        NetNamespace none = null;
        List<Case> c = new ArrayList<>();
        c.add(b("prefix(String)", 0, "prefix(null): prefix is null", () -> veth().prefix(null)));
        c.add(b("ns(String)", 0, "ns(null): a namespace needs a name", () -> veth().ns(null)));
        c.add(b(
                "adopt(String,String)",
                0,
                "adopt(null, ...): a host name and the namespace to adopt are needed",
                () -> veth().adopt(null, "sa8-x")));
        c.add(b(
                "adopt(String,String)",
                1,
                "adopt(\"h\", ...): a host name and the namespace to adopt are needed",
                () -> veth().adopt("h", (String) null)));
        c.add(b(
                "adopt(String,NetNamespace)",
                0,
                "adopt(null, ...): a host name and the namespace to adopt are needed",
                () -> veth().adopt(null, NetNamespace.root())));
        c.add(b(
                "adopt(String,NetNamespace)",
                1,
                "adopt(\"h\", ...): a host name and the namespace to adopt are needed",
                () -> veth().adopt("h", none)));
        c.add(b(
                "adoptPid(String,long)",
                0,
                "adoptPid(null, ...): a host name and the namespace to adopt are needed",
                () -> veth().adoptPid(null, 1)));
        c.add(b(
                "veth(String,String)",
                0,
                "namespace a: veth(null, \"a\", \"x\"): names must not be null",
                () -> veth().veth(null, "x")));
        c.add(b(
                "veth(String,String)",
                1,
                "namespace a: veth(\"x\", \"a\", null): names must not be null",
                () -> veth().veth("x", null)));
        c.add(b(
                "veth(String,String,String)",
                0,
                "namespace a: veth(null, \"a\", \"x\"): names must not be null",
                () -> veth().veth(null, "a", "x")));
        c.add(b(
                "veth(String,String,String)",
                1,
                "namespace a: veth(\"x\", null, \"y\"): names must not be null",
                () -> veth().veth("x", null, "y")));
        c.add(b(
                "veth(String,String,String)",
                2,
                "namespace a: veth(\"x\", \"a\", null): names must not be null",
                () -> veth().veth("x", "a", null)));
        c.add(b("bridge(String)", 0, "namespace a: a bridge named null", () -> veth().bridge(null)));
        c.add(b("tap(String)", 0, "namespace a: a tap named null", () -> veth().tap(null)));
        c.add(b("macvlan(String,String)", 0, "namespace a: a macvlan named null", () -> veth().macvlan(null, "e0")));
        c.add(b(
                "macvlan(String,String)",
                1,
                "device a/mv: a macvlan needs a lower device",
                () -> veth().macvlan("mv", null)));
        c.add(b(
                "macvlan(String,String,MacvlanMode)",
                0,
                "namespace a: a macvlan named null",
                () -> veth().macvlan(null, "e0", MacvlanMode.BRIDGE)));
        c.add(b(
                "macvlan(String,String,MacvlanMode)",
                1,
                "device a/mv: a macvlan needs a lower device",
                () -> veth().macvlan("mv", null, MacvlanMode.BRIDGE)));
        c.add(b(
                "macvlan(String,String,MacvlanMode)",
                2,
                "device a/mv: a macvlan needs a mode",
                () -> veth().macvlan("mv", "e0", null)));
        c.add(b("vxlan(String,int)", 0, "namespace a: a vxlan named null", () -> veth().vxlan(null, 5)));
        c.add(b("remote(String)", 0, "a/vx: remote(null): ip is null", () -> vxlan().remote(null)));
        c.add(b("group(String)", 0, "a/vx: group(null): ip is null", () -> vxlan().group(null)));
        c.add(b("local(String)", 0, "a/vx: local(null): ip is null", () -> vxlan().local(null)));
        c.add(b("lower(String)", 0, "a/vx: lower(null): which device?", () -> vxlan().lower(null)));
        c.add(b("dev(String)", 0, "dev(null): which device?", () -> veth().dev(null)));
        c.add(b(
                "removeDevice(String)",
                0,
                "namespace a: removeDevice(null): name is null",
                () -> veth().ns("a").removeDevice(null)));
        c.add(b(
                "removeNamespace(String)",
                0,
                "removeNamespace(null): name is null",
                () -> veth().removeNamespace(null)));
        c.add(b("addr(String)", 0, "a/e0: addr(null): the address is null", () -> veth().addr(null)));
        c.add(b("removeAddr(String)", 0, "a/e0: removeAddr(null): the address is null", () -> veth().removeAddr(null)));
        c.add(b("mac(String)", 0, "a/e0: mac(null): the MAC address is null", () -> veth().mac(null)));
        c.add(b("rate(String)", 0, "a/e0: rate(null): rate is null", () -> veth().rate(null)));
        c.add(b(
                "delay(Duration)",
                0,
                "a/e0: delay(null): delay must be in [0, 60 s), got null",
                () -> veth().delay(null)));
        c.add(b(
                "jitter(Duration)",
                0,
                "a/e0: jitter(null): jitter must be in [0, 60 s), got null",
                () -> veth().jitter(null)));
        c.add(b("master(String)", 0, "master(null): which bridge?", () -> veth().master(null)));
        c.add(b(
                "ports(String[])",
                0,
                "a/br: ports(null): which devices?",
                () -> veth().bridge("br").ports((String[]) null)));
        c.add(b(
                "route(String,String)",
                0,
                "namespace a: route(null, \"10.58.0.2\"): dst is null",
                () -> veth().ns("a").route(null, "10.58.0.2")));
        c.add(b(
                "route(String,String)",
                1,
                "namespace a: route(\"10.59.0.0/16\", null): needs a gateway or a device",
                () -> veth().ns("a").route("10.59.0.0/16", null)));
        c.add(b(
                "route(String,String,String)",
                0,
                "namespace a: route(null, \"10.58.0.2\", \"e0\"): dst is null",
                () -> veth().ns("a").route(null, "10.58.0.2", "e0")));
        c.add(b(
                "removeRoute(String)",
                0,
                "namespace a: removeRoute(null): dst is null",
                () -> veth().ns("a").removeRoute(null)));
        c.add(b(
                "removeRoute(String,String,String)",
                0,
                "namespace a: removeRoute(null, \"10.58.0.2\", \"e0\"): dst is null",
                () -> veth().ns("a").removeRoute(null, "10.58.0.2", "e0")));
        c.add(b(
                "gateway(String)",
                0,
                "namespace a: route(\"default\", null): needs a gateway or a device",
                () -> veth().ns("a").gateway(null)));
        return c;
    }

    @Test
    void eachNullArgumentOfTheBuilderIsOneProblemNamingIt() {
        SoftAssertions soft = new SoftAssertions();
        for (Case c : builderCases()) {
            soft.assertThat(ValidationTest.problems(
                            () -> (TopologyBuilder) c.call().get()))
                    .as("%s#%d", c.entry(), c.index())
                    .containsExactly(c.expected());
        }
        soft.assertAll();
    }

    @Test
    void everyPublicMethodWithAReferenceParameterIsCovered() throws ReflectiveOperationException {
        assertThat(covered(topologyCases(), Set.of("removeDetached(String)#0"))).isEqualTo(entries(Topology.class));
        assertThat(covered(builderCases(), NULLABLE)).isEqualTo(entries(TopologyBuilder.class));
    }

    private static Set<String> covered(List<Case> cases, Set<String> others) {
        Set<String> s =
                cases.stream().map(c -> c.entry() + "#" + c.index()).collect(Collectors.toCollection(TreeSet::new));
        s.addAll(others);
        return s;
    }

    /** {@code name(Type,...)#i} of each reference parameter of each public method {@code type} declares. */
    private static Set<String> entries(Class<?> type) {
        Set<String> s = new TreeSet<>();
        for (Method m : type.getDeclaredMethods()) {
            if (!Modifier.isPublic(m.getModifiers())) {
                continue;
            }
            Class<?>[] p = m.getParameterTypes();
            String entry = m.getName() + "("
                    + Arrays.stream(p).map(Class::getSimpleName).collect(Collectors.joining(",")) + ")";
            for (int i = 0; i < p.length; i++) {
                if (!p[i].isPrimitive()) {
                    s.add(entry + "#" + i);
                }
            }
        }
        return s;
    }
}
