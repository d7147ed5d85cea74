package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.netvirt.core.Topology;
import io.github.netvirt.core.spec.LinkCondition;
import io.github.netvirt.faults.impair.Endpoint;
import io.github.netvirt.faults.impair.ImpairedLink;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.tap.impair.Impairment;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.ThrowingConsumer;

/**
 * Every public constructor and method of netvirt-faults, with each of its reference parameters null
 * in turn (the others valid): a {@link NullPointerException} whose message is the parameter's name,
 * as {@code Objects.requireNonNull(x, "x")} gives it, thrown before anything is done; a null inside a
 * collection or map parameter, one whose message names the parameter. The namespaces given are a
 * closed handle and the topology and impaired link are shells with nothing behind them: a check that
 * came after their first use would throw something else. No root, no kernel.
 *
 * <p>{@link #everyPublicEntryPointIsCovered} lists the entry points by reflection, so a new one must
 * be added here (or to the parameters that may be null, by design).
 */
class NullArgumentsTest {
    /** One null argument: the entry point, the parameter's position, its name, and the call. */
    private record Case(String entry, int index, String name, Runnable call) {
        String key() {
            return entry + "#" + index;
        }
    }

    /** Parameters null stands for something in: a default or "none", or an exception's own. */
    private static final Set<String> NULLABLE = Set.of(
            "Endpoint#<init>(NetNamespace,String,InetAddress,int)#2",
            "Endpoint#of(NetNamespace,String,InetAddress,int)#2",
            "Probe#<init>(String,String,InetSocketAddress,Outcome,Duration,String)#5",
            "ScheduledFault#<init>(Kind,Duration,Duration,List,List,String)#5",
            "UnreachableException#<init>(String,Probe)#0",
            "UnreachableException#<init>(String,Probe)#1");

    private static NetNamespace ns; // closed: any use throws IllegalStateException
    private static Topology topology; // no plan: any use throws
    private static ImpairedLink link; // no relay: any use throws
    private static final Duration T = Duration.ofSeconds(1);
    private static final InetSocketAddress TO = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);
    private static final Probe PROBE = new Probe("a", "b", TO, Outcome.REFUSED, T, null);

    @BeforeAll
    static void shells() throws ReflectiveOperationException {
        ns = NetNamespace.root();
        ns.close();
        Constructor<Topology> t = Topology.class.getDeclaredConstructor(
                Class.forName("io.github.netvirt.core.Plan"),
                Class.forName("io.github.netvirt.core.Resources"),
                long.class);
        t.setAccessible(true);
        topology = t.newInstance(null, null, 0L);
        Constructor<ImpairedLink> l =
                ImpairedLink.class.getDeclaredConstructor(Class.forName("io.github.netvirt.tap.impair.TapRelay"));
        l.setAccessible(true);
        link = l.newInstance((Object) null);
    }

    private static ScheduleRun run;

    @AfterAll
    static void stop() {
        if (run != null) {
            run.close();
        }
    }

    private static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        Endpoint e = Endpoint.of(ns, "gc0", null, 0);
        Impairment none = Impairment.none();
        RateLimit rate = RateLimit.of(1_000_000);
        Netem netem = new Netem(T, Duration.ZERO, 0, 0, 0);
        FaultSchedule.Builder builder = FaultSchedule.over(List.of("a", "b"), List.of());
        if (run == null) {
            run = FaultSchedule.over(List.of(), List.of())
                    .fault("nothing", h -> new Nothing())
                    .faults(1)
                    .plan(1)
                    .start(Map.of());
        }
        ReachabilityReport report = new ReachabilityReport(List.of(PROBE));
        Port port = Port.tcp(80);

        add(c, "ConnectionFault#refuse(NetNamespace,int)", "host", () -> ConnectionFault.refuse(null, 80));
        add(
                c,
                "ConnectionFault#refuseWithReset(NetNamespace,int)",
                "host",
                () -> ConnectionFault.refuseWithReset(null, 80));
        add(c, "ConnectionFault#reset(NetNamespace,int)", "host", () -> ConnectionFault.reset(null, 80));
        add(c, "ConnectionFault#blackhole(NetNamespace,Port)", "host", () -> ConnectionFault.blackhole(null, port));
        add(c, "ConnectionFault#blackhole(NetNamespace,Port)", "port", () -> ConnectionFault.blackhole(ns, null));

        add(c, "FaultSchedule#over(Collection,Collection)", "hosts", () -> FaultSchedule.over(null, List.of()));
        add(c, "FaultSchedule#over(Collection,Collection)", "links", () -> FaultSchedule.over(List.of(), null));
        FaultSchedule plan = builder.plan(1);
        add(c, "FaultSchedule#start(Map)", "hosts", () -> plan.start(null));
        add(c, "Builder#length(Duration)", "length", () -> builder.length(null));
        add(c, "Builder#faultLength(Duration,Duration)", "min", () -> builder.faultLength(null, T));
        add(c, "Builder#faultLength(Duration,Duration)", "max", () -> builder.faultLength(T, null));
        add(c, "Builder#kinds(Kind[])", "kinds", () -> builder.kinds((ScheduledFault.Kind[]) null));
        add(c, "Builder#fault(String,Function)", "name", () -> builder.fault(null, h -> new Nothing()));
        add(c, "Builder#fault(String,Function)", "start", () -> builder.fault("x", null));

        LinkCondition slow = LinkCondition.NONE.withDelay(T);
        String on = "LinkConditionFault#on(Topology,String,String,LinkCondition)";
        add(c, on, "topology", () -> LinkConditionFault.on(null, "a", "eth0", slow));
        add(c, on, "ns", () -> LinkConditionFault.on(topology, null, "eth0", slow));
        add(c, on, "dev", () -> LinkConditionFault.on(topology, "a", null, slow));
        add(c, on, "condition", () -> LinkConditionFault.on(topology, "a", "eth0", null));

        add(c, "LinkCut#cut(NetNamespace,String)", "ns", () -> LinkCut.cut(null, "gc0"));
        add(c, "LinkCut#cut(NetNamespace,String)", "device", () -> LinkCut.cut(ns, null));

        add(c, "Netem#<init>(Duration,Duration,double,double,long)", "delay", () -> new Netem(null, T, 0, 0, 0));
        add(c, "Netem#<init>(Duration,Duration,double,double,long)", "jitter", () -> new Netem(T, null, 0, 0, 0));
        add(c, "Netem#on(NetNamespace,String)", "ns", () -> netem.on(null, "gc0"));
        add(c, "Netem#on(NetNamespace,String)", "device", () -> netem.on(ns, null));

        add(c, "OneWayLoss#drop(NetNamespace,NetNamespace)", "from", () -> OneWayLoss.drop(null, ns));
        add(c, "OneWayLoss#drop(NetNamespace,NetNamespace)", "to", () -> OneWayLoss.drop(ns, null));
        add(c, "OneWayLoss#drop(NetNamespace,NetNamespace,double)", "from", () -> OneWayLoss.drop(null, ns, 0.5));
        add(c, "OneWayLoss#drop(NetNamespace,NetNamespace,double)", "to", () -> OneWayLoss.drop(ns, null, 0.5));
        String drop = "OneWayLoss#drop(NetNamespace,NetNamespace,Port,double)";
        add(c, drop, "from", () -> OneWayLoss.drop(null, ns, port, 0.5));
        add(c, drop, "to", () -> OneWayLoss.drop(ns, null, port, 0.5));
        add(c, drop, "port", () -> OneWayLoss.drop(ns, ns, null, 0.5));

        add(c, "Partition#between(Collection,Collection)", "sideA", () -> Partition.between(null, List.of(ns)));
        add(c, "Partition#between(Collection,Collection)", "sideB", () -> Partition.between(List.of(ns), null));
        String between = "Partition#between(Collection,Collection,Port)";
        add(c, between, "sideA", () -> Partition.between(null, List.of(ns), port));
        add(c, between, "sideB", () -> Partition.between(List.of(ns), null, port));
        add(c, between, "port", () -> Partition.between(List.of(ns), List.of(ns), null));

        add(c, "PortMirror#ingress(NetNamespace,String,String)", "ns", () -> PortMirror.ingress(null, "gc0", "gc1"));
        add(c, "PortMirror#ingress(NetNamespace,String,String)", "from", () -> PortMirror.ingress(ns, null, "gc1"));
        add(c, "PortMirror#ingress(NetNamespace,String,String)", "to", () -> PortMirror.ingress(ns, "gc0", null));

        String probe = "Probe#<init>(String,String,InetSocketAddress,Outcome,Duration,String)";
        add(c, probe, "from", () -> new Probe(null, "b", TO, Outcome.REFUSED, T, null));
        add(c, probe, "target", () -> new Probe("a", null, TO, Outcome.REFUSED, T, null));
        add(c, probe, "to", () -> new Probe("a", "b", null, Outcome.REFUSED, T, null));
        add(c, probe, "outcome", () -> new Probe("a", "b", TO, null, T, null));
        add(c, probe, "elapsed", () -> new Probe("a", "b", TO, Outcome.REFUSED, null, null));

        add(c, "RateLimit#<init>(long,int,Duration)", "latency", () -> new RateLimit(1000, 1600, null));
        add(c, "RateLimit#on(NetNamespace,String)", "ns", () -> rate.on(null, "gc0"));
        add(c, "RateLimit#on(NetNamespace,String)", "device", () -> rate.on(ns, null));

        String tcp = "Reachability#tcp(NetNamespace,InetSocketAddress,Duration)";
        add(c, tcp, "from", () -> Reachability.tcp(null, TO, T));
        add(c, tcp, "to", () -> Reachability.tcp(ns, null, T));
        add(c, tcp, "timeout", () -> Reachability.tcp(ns, TO, null));
        String syn = "Reachability#tcpSyn(NetNamespace,InetSocketAddress,Duration)";
        add(c, syn, "from", () -> Reachability.tcpSyn(null, TO, T));
        add(c, syn, "to", () -> Reachability.tcpSyn(ns, null, T));
        add(c, syn, "timeout", () -> Reachability.tcpSyn(ns, TO, null));
        String udp = "Reachability#udp(NetNamespace,InetSocketAddress,byte[],Duration)";
        add(c, udp, "from", () -> Reachability.udp(null, TO, new byte[1], T));
        add(c, udp, "to", () -> Reachability.udp(ns, null, new byte[1], T));
        add(c, udp, "payload", () -> Reachability.udp(ns, TO, null, T));
        add(c, udp, "timeout", () -> Reachability.udp(ns, TO, new byte[1], null));
        String await = "Reachability#awaitReachable(NetNamespace,InetAddress,int,Duration)";
        InetAddress lo = InetAddress.getLoopbackAddress();
        add(c, await, "host", () -> Reachability.awaitReachable(null, lo, 9, T));
        add(c, await, "address", () -> Reachability.awaitReachable(ns, null, 9, T));
        add(c, await, "timeout", () -> Reachability.awaitReachable(ns, lo, 9, null));
        add(c, "Reachability#pingAll(Map,Duration)", "hosts", () -> Reachability.pingAll(null, T));
        add(c, "Reachability#pingAll(Map,Duration)", "timeout", () -> Reachability.pingAll(Map.of("a", ns), null));
        add(c, "Reachability#globalIpv4(NetNamespace)", "ns", () -> Reachability.globalIpv4(null));

        add(c, "ReachabilityReport#<init>(List)", "probes", () -> new ReachabilityReport(null));
        add(c, "ReachabilityReport#reachable(String,String)", "from", () -> report.reachable(null, "b"));
        add(c, "ReachabilityReport#reachable(String,String)", "to", () -> report.reachable("a", null));

        add(c, "ScheduleRun#awaitEnd(Duration)", "timeout", () -> await(run, null));

        String fault = "ScheduledFault#<init>(Kind,Duration,Duration,List,List,String)";
        List<String> a = List.of("a");
        add(c, fault, "kind", () -> new ScheduledFault(null, Duration.ZERO, T, a, a, null));
        add(c, fault, "start", () -> new ScheduledFault(ScheduledFault.Kind.CUT, null, T, a, a, "eth0"));
        add(c, fault, "end", () -> new ScheduledFault(ScheduledFault.Kind.CUT, Duration.ZERO, null, a, a, "eth0"));
        add(c, fault, "from", () -> new ScheduledFault(ScheduledFault.Kind.CUT, Duration.ZERO, T, null, a, "eth0"));
        add(c, fault, "to", () -> new ScheduledFault(ScheduledFault.Kind.CUT, Duration.ZERO, T, a, null, "eth0"));

        String endpoint = "Endpoint#<init>(NetNamespace,String,InetAddress,int)";
        add(c, endpoint, "namespace", () -> new Endpoint(null, "gc0", null, 0));
        add(c, endpoint, "device", () -> new Endpoint(ns, null, null, 0));
        add(
                c,
                "Endpoint#of(NetNamespace,String,InetAddress,int)",
                "namespace",
                () -> Endpoint.of(null, "gc0", null, 0));
        add(c, "Endpoint#of(NetNamespace,String,InetAddress,int)", "device", () -> Endpoint.of(ns, null, null, 0));

        String open4 = "ImpairedLink#open(Endpoint,Endpoint,Impairment,long)";
        add(c, open4, "a", () -> ImpairedLink.open(null, e, none, 1));
        add(c, open4, "b", () -> ImpairedLink.open(e, null, none, 1));
        add(c, open4, "impairment", () -> ImpairedLink.open(e, e, null, 1));
        String open5 = "ImpairedLink#open(Endpoint,Endpoint,Impairment,Impairment,long)";
        add(c, open5, "a", () -> ImpairedLink.open(null, e, none, none, 1));
        add(c, open5, "b", () -> ImpairedLink.open(e, null, none, none, 1));
        add(c, open5, "aToB", () -> ImpairedLink.open(e, e, null, none, 1));
        add(c, open5, "bToA", () -> ImpairedLink.open(e, e, none, null, 1));
        ImpairedLink.Direction ab = ImpairedLink.Direction.A_TO_B;
        add(c, "ImpairedLink#impairment(Direction,Impairment)", "direction", () -> link.impairment(null, none));
        add(c, "ImpairedLink#impairment(Direction,Impairment)", "impairment", () -> link.impairment(ab, null));
        add(c, "ImpairedLink#impairment(Direction)", "direction", () -> link.impairment(null));
        add(c, "ImpairedLink#verdicts(Direction)", "direction", () -> link.verdicts(null));
        add(c, "ImpairedLink#stats(Direction)", "direction", () -> link.stats(null));
        return c;
    }

    /** Adds the case for parameter {@code name}, found at its position in {@code entry}'s parameter list. */
    private static void add(List<Case> cases, String entry, String name, Runnable call) {
        cases.add(new Case(entry, position(cases, entry), name, call));
    }

    /** The next reference parameter of {@code entry} without a case: cases are added in parameter order. */
    private static int position(List<Case> cases, String entry) {
        long done = cases.stream().filter(c -> c.entry().equals(entry)).count();
        String[] types =
                entry.substring(entry.indexOf('(') + 1, entry.length() - 1).split(",");
        for (int i = 0; i < types.length; i++) {
            if (!Set.of("int", "long", "double").contains(types[i]) && done-- == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException(entry + " has no more reference parameters");
    }

    private static void await(ScheduleRun r, Duration timeout) {
        try {
            r.awaitEnd(timeout);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fault of the schedule's that does nothing. */
    private static final class Nothing implements Fault {
        private boolean active = true;

        @Override
        public synchronized void heal() {
            active = false;
        }

        @Override
        public synchronized boolean isActive() {
            return active;
        }
    }

    @TestFactory
    Stream<DynamicTest> eachNullArgumentIsRefusedByName() {
        ThrowingConsumer<Case> check = c -> {
            Throwable t = catchThrowable(c.call()::run);
            assertThat(t)
                    .as("%s with %s null", c.entry(), c.name())
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage(c.name());
        };
        return DynamicTest.stream(cases().stream(), c -> c.entry() + " " + c.name() + " null", check);
    }

    @Test
    void aNullInsideACollectionOrMapIsRefusedByTheParameterName() {
        List<NetNamespace> withNull = Arrays.asList(ns, null);
        Map<String, NetNamespace> nullValue = new HashMap<>();
        nullValue.put("a", null);
        Map<String, NetNamespace> nullKey = new HashMap<>();
        nullKey.put(null, ns);
        List<String> names = Arrays.asList("a", null);
        Map<String, Runnable> calls = new LinkedHashMap<>();
        calls.put("sideA", () -> Partition.between(withNull, List.of(ns)));
        calls.put("sideB", () -> Partition.between(List.of(ns), withNull, Port.tcp(80)));
        calls.put("hosts", () -> Reachability.pingAll(nullValue, T));
        calls.put("hosts ", () -> Reachability.pingAll(nullKey, T));
        calls.put("links", () -> FaultSchedule.over(List.of(), names));
        calls.put(
                "kinds", () -> FaultSchedule.over(List.of("a", "b"), List.of()).kinds(ScheduledFault.Kind.CUT, null));
        calls.put("probes", () -> new ReachabilityReport(Arrays.asList(PROBE, null)));
        calls.put(
                "from",
                () -> new ScheduledFault(ScheduledFault.Kind.PARTITION, Duration.ZERO, T, names, List.of("b"), null));
        for (Map.Entry<String, Runnable> call : calls.entrySet()) {
            assertThat(catchThrowable(call.getValue()::run))
                    .as(call.getKey())
                    .isInstanceOf(NullPointerException.class)
                    .hasMessageContaining(call.getKey().trim() + " ")
                    .hasMessageContaining("null");
        }
        FaultSchedule s = FaultSchedule.over(List.of("a", "b"), List.of()).plan(1);
        Map<String, NetNamespace> missing = new HashMap<>();
        missing.put("a", ns);
        missing.put("b", null);
        assertThat(catchThrowable(() -> s.start(missing)))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("hosts ")
                .hasMessageContaining("b");
    }

    @Test
    void everyPublicEntryPointIsCovered() throws Exception {
        Set<String> listed = cases().stream().map(Case::key).collect(Collectors.toCollection(TreeSet::new));
        listed.addAll(NULLABLE);
        Set<String> found = new TreeSet<>();
        for (Class<?> type : publicTypes()) {
            List<Executable> entries = new ArrayList<>(Arrays.asList(type.getConstructors()));
            for (var m : type.getDeclaredMethods()) {
                boolean enumOwn = type.isEnum() && m.getName().equals("valueOf");
                if (Modifier.isPublic(m.getModifiers())
                        && !m.isSynthetic()
                        && !m.isBridge()
                        && !enumOwn
                        && !m.getName().equals("equals")) {
                    entries.add(m);
                }
            }
            for (Executable x : entries) {
                Class<?>[] p = x.getParameterTypes();
                String entry = type.getSimpleName() + "#" + (x instanceof Constructor<?> ? "<init>" : x.getName()) + "("
                        + Arrays.stream(p).map(Class::getSimpleName).collect(Collectors.joining(",")) + ")";
                for (int i = 0; i < p.length; i++) {
                    if (!p[i].isPrimitive()) {
                        found.add(entry + "#" + i);
                    }
                }
            }
        }
        assertThat(found).isNotEmpty().containsExactlyInAnyOrderElementsOf(listed);
    }

    /** The public types (nested ones included) of the module's exported packages, from its classes. */
    private static List<Class<?>> publicTypes() throws Exception {
        Path where = Path.of(
                Fault.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> files = new ArrayList<>();
        if (Files.isDirectory(where)) {
            try (Stream<Path> s = Files.walk(where)) {
                s.map(p -> where.relativize(p).toString()).forEach(files::add);
            }
        } else {
            try (JarFile jar = new JarFile(where.toFile())) {
                jar.stream().map(j -> j.getName()).forEach(files::add);
            }
        }
        List<Class<?>> out = new ArrayList<>();
        for (String f : files) {
            String pkg = f.contains("/") ? f.substring(0, f.lastIndexOf('/')).replace('/', '.') : "";
            if (!f.endsWith(".class")
                    || f.endsWith("module-info.class")
                    || !Set.of("io.github.netvirt.faults", "io.github.netvirt.faults.impair")
                            .contains(pkg)) {
                continue;
            }
            Class<?> c = Class.forName(
                    f.substring(0, f.length() - ".class".length()).replace('/', '.'),
                    false,
                    NullArgumentsTest.class.getClassLoader());
            if (isApi(c)) {
                out.add(c);
            }
        }
        Collections.sort(out, (x, y) -> x.getName().compareTo(y.getName()));
        return out;
    }

    private static boolean isApi(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers()) || k.isAnonymousClass() || k.isSynthetic()) {
                return false;
            }
        }
        return true;
    }
}
