package io.github.netvirt.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NetNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * A {@code @Nested} class that extends the base class its outer class extends reaches the base's
 * {@code @Network} fields twice: a static one is still one network (one object, joined by both
 * classes), which {@code @RunIn} and {@code @Host} take and a failure shows once; an instance one is
 * two networks (one per instance) of one field, which a host both have cannot choose between, and
 * whose devices a failed test captures all of.
 */
class NestedClassOfTheOuterBaseTest {
    abstract static class StaticBase {
        @Network
        static TestNetwork net = TwoHosts.of("a", "b", "10.95.0");
    }

    @NetvirtTest
    @ExtendWith(InnerOnly.class)
    static class OuterStatic extends StaticBase {
        @Nested
        class Inner extends StaticBase {
            @Test
            @RunIn("a")
            void runIn() {
                assertThat(NetNamespace.currentThreadId())
                        .isEqualTo(net.namespace("a").id());
            }

            @Test
            void host(@Host("b") NetNamespace b) {
                assertThat(b.id()).isEqualTo(net.namespace("b").id());
            }

            @Test
            void fails() {
                throw new AssertionError("failing on purpose");
            }
        }
    }

    @Test
    void aStaticNetworkOfTheBaseIsOneNetworkToRunInHostAndFailureMessages() {
        TestExecutionSummary s = FailureTest.run(OuterStatic.class);
        assertThat(s.getFailures())
                .extracting(f -> f.getException().getMessage())
                .singleElement()
                .satisfies(m -> assertThat(m).startsWith("failing on purpose"))
                .satisfies(m -> assertThat(m.split("network '", -1)).as(m).hasSize(2));
        assertThat(s.getTestsSucceededCount()).isEqualTo(2);
        assertThat(StaticBase.net.isRunning()).isFalse();
    }

    abstract static class InstanceBase {
        @Network
        TestNetwork net = TwoHosts.of("a", "b", "10.95.1");
    }

    static final Path CAPTURES = Path.of("target/nested-of-the-outer-base-captures");

    @NetvirtTest
    @CaptureOnFailure(directory = "target/nested-of-the-outer-base-captures")
    @ExtendWith(InnerOnly.class)
    static class OuterInstance extends InstanceBase {
        @Nested
        class Inner extends InstanceBase {
            @Test
            @RunIn("a")
            void runIn() {}

            @Test
            void fails() {
                throw new AssertionError("failing on purpose");
            }
        }
    }

    @Test
    void twoInstanceNetworksOfTheBaseAreBothCapturedAndNeitherTakenForAHostBothHave() throws Exception {
        CaptureOnFailureTest.delete(CAPTURES);
        try {
            TestExecutionSummary s = FailureTest.run(OuterInstance.class);
            assertThat(s.getTestsFailedCount()).isEqualTo(2);
            Throwable refused = s.getFailures().stream()
                    .map(TestExecutionSummary.Failure::getException)
                    .filter(t -> !t.getMessage().startsWith("failing on purpose"))
                    .findFirst()
                    .orElseThrow();
            assertThat(refused.getMessage()).contains("OuterInstance.net").contains("OuterInstance.Inner.net");
            List<String> files;
            try (Stream<Path> all = Files.walk(CAPTURES)) {
                files = all.filter(p -> p.toString().endsWith(".pcap"))
                        .filter(p -> p.getParent().getFileName().toString().equals("fails"))
                        .map(p -> p.getFileName().toString())
                        .sorted()
                        .toList();
            }
            assertThat(files)
                    .containsExactly(
                            "NestedClassOfTheOuterBaseTest.OuterInstance.Inner.net.a-eth0.pcap",
                            "NestedClassOfTheOuterBaseTest.OuterInstance.Inner.net.b-eth0.pcap",
                            "NestedClassOfTheOuterBaseTest.OuterInstance.net.a-eth0.pcap",
                            "NestedClassOfTheOuterBaseTest.OuterInstance.net.b-eth0.pcap");
        } finally {
            CaptureOnFailureTest.delete(CAPTURES);
        }
    }

    static final List<TestNetwork> KEPT = new java.util.concurrent.CopyOnWriteArrayList<>();

    abstract static class KeptBase {
        @Network
        TestNetwork net = TestNetwork.of(io.github.netvirt.core.testing.Topologies.twoHosts("a", "b", "10.95.2")
                .prefix("iJ-"));
    }

    @NetvirtTest(keepOnFailure = true)
    @ExtendWith(InnerOnly.class)
    static class OuterKept extends KeptBase {
        @Nested
        class Inner extends KeptBase {
            @Test
            void fails() {
                KEPT.add(OuterKept.this.net);
                KEPT.add(net);
                throw new AssertionError("failing on purpose");
            }
        }
    }

    @Test
    void bothKeptNetworksOfTheBaseAreReportedWithTheirRemoval() {
        KEPT.clear();
        List<String> entries = new java.util.concurrent.CopyOnWriteArrayList<>();
        try {
            org.junit.platform.launcher.core.LauncherFactory.create()
                    .execute(
                            org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request()
                                    .selectors(org.junit.platform.engine.discovery.DiscoverySelectors.selectClass(
                                            OuterKept.class))
                                    .configurationParameter(InnerOnly.KEY, "true")
                                    .configurationParameter("junit.jupiter.execution.parallel.enabled", "false")
                                    .build(),
                            new org.junit.platform.launcher.TestExecutionListener() {
                                @Override
                                public void reportingEntryPublished(
                                        org.junit.platform.launcher.TestIdentifier id,
                                        org.junit.platform.engine.reporting.ReportEntry entry) {
                                    entries.addAll(entry.getKeyValuePairs().values());
                                }
                            });
            assertThat(KEPT).hasSize(2);
            assertThat(entries)
                    .as("one report per kept network, each with its removal")
                    .hasSize(2)
                    .allSatisfy(e -> assertThat(e).contains("remove with:"))
                    .anySatisfy(e -> assertThat(e).contains("'NestedClassOfTheOuterBaseTest.OuterKept.net'"))
                    .anySatisfy(e -> assertThat(e).contains("'NestedClassOfTheOuterBaseTest.OuterKept.Inner.net'"));
        } finally {
            KEPT.forEach(TestNetwork::removeKept);
        }
    }
}
