package io.github.netvirt.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Two {@code @Network} fields with one name in one scope (a {@code @Nested} class's field and its
 * outer class's; a subclass's static field hiding its base class's) are two networks, each removed
 * after its scope; and an outer instance shared by the concurrent methods of a PER_CLASS nested
 * class is refused up front. Runs the fixtures through the launcher.
 */
class SameNameFieldsTest {
    /**
     * The networks the fixtures saw and the cookies of their namespaces (not inodes: the kernel hands
     * a destroyed namespace's inode to a later one, in this test's repetitions or another class's).
     */
    static final List<TestNetwork> NETWORKS = new ArrayList<>();

    static final Set<Long> COOKIES = ConcurrentHashMap.newKeySet();

    static void saw(TestNetwork... networks) {
        synchronized (NETWORKS) {
            for (TestNetwork n : networks) {
                NETWORKS.add(n);
                for (String host : n.kernelNames().keySet()) {
                    COOKIES.add(n.namespace(host).cookie());
                }
            }
        }
    }

    @NetvirtTest
    @ExtendWith(InnerOnly.class)
    static class Outer {
        @Network
        TestNetwork net = TwoHosts.of("a", "b", "10.94.0");

        @Nested
        class Inner {
            @Network
            TestNetwork net = TwoHosts.of("c", "d", "10.94.1");

            @RepeatedTest(3)
            void both() {
                assertThat(Outer.this.net).isNotSameAs(net);
                assertThat(Outer.this.net.isRunning()).isTrue();
                assertThat(net.isRunning()).isTrue();
                saw(Outer.this.net, net);
            }
        }
    }

    @NetvirtTest
    @ExtendWith(InnerOnly.class)
    abstract static class Base {
        @Network
        static TestNetwork net = TwoHosts.of("a", "b", "10.94.2");

        static TestNetwork baseNet() {
            return net;
        }
    }

    static class Hiding extends Base {
        @Network
        static TestNetwork net = TwoHosts.of("c", "d", "10.94.3");

        @Test
        void both() {
            assertThat(net.isRunning()).isTrue();
            assertThat(baseNet().isRunning()).isTrue();
            saw(net, baseNet());
        }
    }

    private static void assertAllRemoved(TestExecutionSummary s, int networks) {
        assertThat(s.getFailures()).extracting(f -> f.getException().toString()).isEmpty();
        synchronized (NETWORKS) {
            assertThat(NETWORKS).hasSize(networks).noneMatch(TestNetwork::isRunning);
        }
        assertThat(COOKIES).as("namespaces, each its own").hasSize(2 * networks);
    }

    @Test
    void aNestedFieldNamedAsAnOuterOneIsASecondNetworkRemovedAfterEachTest() {
        synchronized (SameNameFieldsTest.class) {
            NETWORKS.clear();
            COOKIES.clear();
            TestExecutionSummary s = FailureTest.run(Outer.Inner.class);
            assertThat(s.getTestsSucceededCount()).isEqualTo(3);
            assertAllRemoved(s, 6);
        }
    }

    @Test
    void aStaticFieldHidingTheBaseClasssIsASecondNetworkRemovedAfterTheClass() {
        synchronized (SameNameFieldsTest.class) {
            NETWORKS.clear();
            COOKIES.clear();
            TestExecutionSummary s = FailureTest.run(Hiding.class);
            assertThat(s.getTestsSucceededCount()).isEqualTo(1);
            assertAllRemoved(s, 2);
        }
    }

    @NetvirtTest
    @ExtendWith(InnerOnly.class)
    static class NamedTwice {
        @Network
        TestNetwork net = TwoHosts.of("a", "b", "10.94.5");

        @Nested
        class Inner {
            @Network
            TestNetwork net = TwoHosts.of("a", "b", "10.94.6");

            @Test
            void byName(@Network("net") TestNetwork n) {}

            @Test
            @RunIn(value = "a", network = "net")
            void runIn() {}
        }
    }

    @Test
    void aNameTwoFieldsOfOneScopeHaveIsRefusedNamingBoth() {
        synchronized (SameNameFieldsTest.class) {
            NETWORKS.clear();
            COOKIES.clear();
            TestExecutionSummary s = FailureTest.run(NamedTwice.Inner.class);
            assertThat(s.getTestsFailedCount()).isEqualTo(2);
            assertThat(s.getFailures())
                    .allSatisfy(f -> assertThat(f.getException())
                            .hasMessageContaining("NamedTwice.net")
                            .hasMessageContaining("NamedTwice.Inner.net")
                            .hasMessageContaining("rename one"));
        }
    }

    static final Set<String> RAN = ConcurrentHashMap.newKeySet();

    @NetvirtTest
    @ExtendWith(InnerOnly.class)
    static class PerMethodOuter {
        @Network
        TestNetwork outerNet = TwoHosts.of("a", "b", "10.94.4");

        @Nested
        @TestInstance(TestInstance.Lifecycle.PER_CLASS)
        @Execution(ExecutionMode.CONCURRENT)
        class SharedOuter {
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
    }

    @Test
    void anOuterInstanceNetworkSharedByAConcurrentPerClassNestedClassIsRefusedUpFront() {
        RAN.clear();
        TestExecutionSummary s = SharingTest.run(true, PerMethodOuter.SharedOuter.class);
        assertThat(s.getTestsFailedCount()).isEqualTo(3);
        assertThat(RAN).as("no method ran").isEmpty();
        assertThat(s.getFailures())
                .allSatisfy(f -> assertThat(f.getException())
                        .hasMessageContaining("PerMethodOuter.outerNet")
                        .hasMessageContaining("PER_CLASS")
                        .hasMessageContaining("SharedOuter")
                        .hasMessageContaining("concurrently"));
        RAN.clear();
        TestExecutionSummary sequential = SharingTest.run(false, PerMethodOuter.SharedOuter.class);
        assertThat(sequential.getFailures()).isEmpty();
        assertThat(RAN).hasSize(3);
    }
}
