package io.github.netvirt.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.netvirt.core.Topology;
import io.github.netvirt.core.testing.Topologies;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.TestNames;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * One TestNetwork object reached by several scopes: a static field in a base class (its subclasses
 * share it), an instance field of a PER_CLASS class with concurrent methods (refused up front), and
 * the extension registered twice (the second is a no-op). Runs the fixtures through the launcher.
 */
class SharingTest {
    /** Namespace "a"'s cookie (never reused, unlike its nsfs inode), as each subclass saw it, by class. */
    static final Map<String, String> IDS = new ConcurrentHashMap<>();

    static final Set<Topology> TOPOLOGIES = ConcurrentHashMap.newKeySet();
    static volatile CyclicBarrier overlap;

    @NetvirtTest
    @ExtendWith(InnerOnly.class)
    abstract static class Base {
        @Network
        static TestNetwork net = TwoHosts.of("a", "b", "10.7.3");

        @Test
        void pings(@Host("a") NetNamespace a, Topology t) throws Exception {
            IDS.put(getClass().getSimpleName(), Long.toUnsignedString(a.cookie())); // inodes are reused
            TOPOLOGIES.add(t);
            assertThat(Reach.tcp(a, t.namespace("b"), "10.7.3.2")).isTrue();
            CyclicBarrier b = overlap;
            if (b != null) {
                b.await(60, TimeUnit.SECONDS); // the three classes run at the same time
            }
            assertThat(net.isRunning()).isTrue();
        }
    }

    static class Sub1 extends Base {}

    static class Sub2 extends Base {}

    static class Sub3 extends Base {}

    static TestExecutionSummary run(boolean parallel, Class<?>... classes) {
        List<ClassSelector> selectors =
                java.util.Arrays.stream(classes).map(c -> selectClass(c)).toList();
        LauncherDiscoveryRequest req = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectors)
                .configurationParameter(InnerOnly.KEY, "true")
                .configurationParameter("junit.jupiter.execution.parallel.enabled", Boolean.toString(parallel))
                .configurationParameter("junit.jupiter.execution.parallel.mode.default", "same_thread")
                .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "4")
                .build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(req, listener);
        return listener.getSummary();
    }

    private static List<String> failures(TestExecutionSummary s) {
        return s.getFailures().stream()
                .map(f -> f.getTestIdentifier().getDisplayName() + ": "
                        + f.getException().getMessage())
                .toList();
    }

    @Test
    void aStaticNetworkInABaseClassIsSharedByTheSubclassesRunningTogether() {
        synchronized (IDS) {
            IDS.clear();
            TOPOLOGIES.clear();
            overlap = new CyclicBarrier(3);
            TestExecutionSummary s;
            try {
                s = run(true, Sub1.class, Sub2.class, Sub3.class);
            } finally {
                overlap = null;
            }
            assertThat(failures(s)).isEmpty();
            assertThat(s.getTestsSucceededCount()).isEqualTo(3);
            assertThat(IDS).hasSize(3);
            assertThat(Set.copyOf(IDS.values()))
                    .as("one network, one namespace a")
                    .hasSize(1);
            assertThat(TOPOLOGIES)
                    .singleElement()
                    .satisfies(t -> assertThat(t.isOpen())
                            .as("closed after the last class")
                            .isFalse());
            assertThat(Base.net.isRunning()).isFalse();
        }
    }

    @Test
    void runOneAfterTheOtherEachClassGetsItsOwnNetwork() {
        synchronized (IDS) {
            IDS.clear();
            TOPOLOGIES.clear();
            TestExecutionSummary s = run(false, Sub1.class, Sub2.class, Sub3.class);
            assertThat(failures(s)).isEmpty();
            assertThat(s.getTestsSucceededCount()).isEqualTo(3);
            assertThat(Set.copyOf(IDS.values())).hasSize(3);
            assertThat(TOPOLOGIES).hasSize(3).noneMatch(Topology::isOpen);
        }
    }

    static final Set<String> RAN = ConcurrentHashMap.newKeySet();

    @NetvirtTest
    @ExtendWith(InnerOnly.class)
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @Execution(ExecutionMode.CONCURRENT)
    static class PerClassConcurrent {
        @Network
        TestNetwork net = TwoHosts.of("a", "b", "10.7.4");

        @Test
        void p0() throws Exception {
            RAN.add("p0");
            Thread.sleep(300);
        }

        @Test
        void p1() throws Exception {
            RAN.add("p1");
            Thread.sleep(300);
        }

        @Test
        void p2() throws Exception {
            RAN.add("p2");
            Thread.sleep(300);
        }
    }

    @Test
    void anInstanceNetworkOfAPerClassInstanceWithConcurrentMethodsIsRefusedUpFront() {
        RAN.clear();
        TestExecutionSummary s = run(true, PerClassConcurrent.class);
        assertThat(s.getTestsFailedCount()).isEqualTo(3);
        assertThat(RAN).as("no method ran").isEmpty();
        assertThat(s.getFailures())
                .allSatisfy(f -> assertThat(f.getException())
                        .hasMessageContaining("PerClassConcurrent.net")
                        .hasMessageContaining("PER_CLASS")
                        .hasMessageContaining("concurrently")
                        .hasMessageContaining("static")
                        .hasMessageContaining("SAME_THREAD"));
        // run on one thread, the same class is fine: a network per method, one after the other
        RAN.clear();
        TestExecutionSummary sequential = run(false, PerClassConcurrent.class);
        assertThat(failures(sequential)).isEmpty();
        assertThat(RAN).hasSize(3);
    }

    @NetvirtTest
    @ExtendWith(InnerOnly.class)
    static class RegisteredTwice {
        @RegisterExtension
        static NetvirtExtension ext = new NetvirtExtension();

        @Network
        static TestNetwork net = TwoHosts.of("a", "b", "10.7.5");

        @Network
        TestNetwork mine = TwoHosts.of("c", "d", "10.7.6");

        @Test
        void works(@Host(value = "a", network = "net") NetNamespace a, @Network("mine") Topology t) throws Exception {
            assertThat(Reach.tcp(a, net.namespace("b"), "10.7.5.2")).isTrue();
            assertThat(Reach.tcp(t.namespace("c"), t.namespace("d"), "10.7.6.2"))
                    .isTrue();
        }

        @Test
        @RunIn(value = "a", network = "net")
        void runsIn() throws Exception {
            assertThat(NetNamespace.currentThreadId())
                    .isEqualTo(net.namespace("a").id());
        }

        @Test
        void fails() {
            throw new AssertionError("deliberately");
        }
    }

    @Test
    void registeringTheExtensionTwiceIsHarmless() {
        TestExecutionSummary s = run(false, RegisteredTwice.class);
        assertThat(s.getTestsSucceededCount()).as(failures(s).toString()).isEqualTo(2);
        assertThat(s.getFailures()).singleElement().satisfies(f -> {
            String m = f.getException().getMessage();
            assertThat(m).startsWith("deliberately");
            assertThat(m.split("network 'net'", -1))
                    .as("the network is described once")
                    .hasSize(2);
        });
        assertThat(RegisteredTwice.net.isRunning()).isFalse();
    }

    @Test
    void afterTopologyCloseTheMessageSaysItWasClosed() {
        TestNetwork net = TwoHosts.of("a", "b", "10.7.7");
        net.start(TestNames.unique("fj") + "-", false);
        try {
            net.topology().close();
            assertThatThrownBy(() -> net.down("a", "eth0"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("this network is not running: ")
                    .hasMessageContaining("topology().close()")
                    .hasMessageNotContaining("exists only within the scope");
            assertThat(net.describe()).startsWith("CLOSED").contains("topology().close()");
        } finally {
            net.leave("a direct start", false); // its scope's end
        }
        assertThatThrownBy(() -> net.down("a", "eth0")).hasMessageContaining("exists only within the scope");
    }

    @Test
    void afterItsOwnCloseTheMessageSaysItWasClosedBeforeTheEndOfItsScope() {
        TestNetwork net = TwoHosts.of("a", "b", "10.7.8");
        net.start(TestNames.unique("fj") + "-", false);
        net.close();
        assertThatThrownBy(() -> net.down("a", "eth0"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("this network is not running: it was closed through its close(), before the end of the"
                        + " scope of its @Network field");
        net.leave("a direct start", false); // the scope ends: nothing more to do
        assertThat(net.isRunning()).isFalse();
    }

    @Test
    void aPrefixOnTheDescriptionIsKeptInFrontOfTheExtensionsOwn() {
        String mine = TestNames.unique("fj") + "-";
        TestNetwork net = TestNetwork.of(Topologies.twoHosts("a", "b", "10.7.8").prefix(mine));
        Map<String, String> names;
        net.start("nvX1-", true);
        try {
            names = net.kernelNames();
            assertThat(names).containsEntry("a", mine + "nvX1-a").containsEntry("b", mine + "nvX1-b");
            for (String kernel : names.values()) {
                assertThat(NetNamespace.exists(kernel)).as(kernel).isTrue();
            }
        } finally {
            net.close();
        }
        for (String kernel : names.values()) {
            assertThat(NetNamespace.exists(kernel)).as(kernel).isFalse();
        }
        net.start("nvX2-", true); // a second scope: the description's prefix, not the first scope's
        try {
            assertThat(net.kernelNames()).containsEntry("a", mine + "nvX2-a");
        } finally {
            net.close();
        }
    }
}
