package io.github.netvirt.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.netvirt.core.Topology;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.TestNames;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** Runs deliberately failing test classes through the JUnit launcher and checks what the extension did. */
class FailureTest {
    static final List<TestNetwork> seen = new ArrayList<>();

    @NetvirtTest
    @ExtendWith(InnerOnly.class)
    static class Failing {
        @Network
        static TestNetwork shared = TwoHosts.of("web", "db", "10.7.0");

        @Network
        TestNetwork mine = TestNetwork.of(Topology.create().ns("solo"));

        @Test
        void failsAnAssertion() {
            seen.add(shared);
            seen.add(mine);
            org.junit.jupiter.api.Assertions.assertEquals(1, 2, "one is not two");
        }

        @Test
        void throwsSomethingElse() {
            throw new IllegalStateException("not an assertion");
        }
    }

    @NetvirtTest
    @ExtendWith(InnerOnly.class)
    static class FailingSetUp {
        @Network
        TestNetwork net = TestNetwork.of(Topology.create()
                .ns("setup")
                .veth("eth0", "peer", "eth0")
                .addr("10.9.9.1/24")
                .ns("peer"));

        @org.junit.jupiter.api.BeforeEach
        void setUp() {
            throw new AssertionError("set-up failed");
        }

        @Test
        void neverRuns() {}
    }

    @NetvirtTest(keepOnFailure = true)
    @ExtendWith(InnerOnly.class)
    static class Kept {
        @Network
        TestNetwork net = TwoHosts.of("left", "right", "10.8.0");

        @Test
        void fails() {
            seen.add(net);
            throw new AssertionError("keep me");
        }
    }

    /** Changes its network (a namespace added, a veth removed), then fails, under keepOnFailure. */
    @NetvirtTest(keepOnFailure = true)
    @ExtendWith(InnerOnly.class)
    static class KeptAfterChange {
        static final String PREFIX = TestNames.unique("dx") + "-";

        @Network
        TestNetwork net = TestNetwork.of(Topology.create()
                .prefix(PREFIX)
                .ns("a")
                .veth("eth0", "b", "eth0")
                .addr("10.8.7.1/24")
                .ns("b")
                .dev("eth0")
                .addr("10.8.7.2/24"));

        @Test
        void changesThenFails() {
            seen.add(net);
            net.topology()
                    .change()
                    .ns("extra")
                    .veth("eth0", "a", "x0")
                    .addr("10.8.8.2/24")
                    .ns("a")
                    .dev("x0")
                    .addr("10.8.8.1/24")
                    .ns("b")
                    .removeDevice("eth0")
                    .apply();
            throw new AssertionError("changed, then failed");
        }
    }

    /** Sets a device down, then fails. */
    @NetvirtTest
    @ExtendWith(InnerOnly.class)
    static class FailsWithADeviceDown {
        @Network
        TestNetwork net = TestNetwork.of(Topology.create()
                .ns("a")
                .veth("eth0", "b", "eth0")
                .addr("10.8.5.1/24")
                .ns("b")
                .dev("eth0")
                .addr("10.8.5.2/24"));

        @Test
        void downThenFails() {
            net.down("b", "eth0");
            throw new AssertionError("down, then failed");
        }
    }

    /** A network with a tap (which cannot be detached) under keepOnFailure: it fails. */
    @NetvirtTest(keepOnFailure = true)
    @ExtendWith(InnerOnly.class)
    static class KeptWithATap {
        static final String PREFIX = TestNames.unique("gj") + "-";
        static final String TAP = "gj" + Long.toHexString(System.nanoTime() & 0xffffff);

        @Network
        TestNetwork net =
                TestNetwork.of(Topology.create().prefix(PREFIX).ns("t").tap(TAP));

        @Test
        void fails() {
            seen.add(net);
            throw new AssertionError("failed with a tap");
        }
    }

    /** Skips the first test method in its beforeEach, before NetvirtExtension's beforeEach runs. */
    static final class SkipsFirstBeforeEach implements BeforeEachCallback {
        @Override
        public void beforeEach(ExtensionContext context) {
            if (context.getRequiredTestMethod().getName().equals("first")) {
                throw new TestAbortedException("skipped by another extension");
            }
        }
    }

    @ExtendWith(InnerOnly.class)
    @ExtendWith(SkipsFirstBeforeEach.class)
    @NetvirtTest
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class OtherExtensionSkips {
        @Network
        static TestNetwork shared = TwoHosts.of("left", "right", "10.6.0");

        @Test
        @Order(1)
        void first() {}

        @Test
        @Order(2)
        void second() {
            seen.add(shared);
            shared.topology();
        }
    }

    @NetvirtTest
    @ExtendWith(InnerOnly.class)
    static class Misconfigured {
        @Network
        static TestNetwork nothing;

        @Test
        void neverRuns() {}
    }

    @NetvirtTest
    @ExtendWith(InnerOnly.class)
    static class NeedsRoot {
        @Network
        static TestNetwork net = TestNetwork.of(Topology.create().ns("x"));

        @Test
        void neverRunsWithoutRoot() {}
    }

    @NetvirtTest(skipWithoutPrivileges = true)
    @ExtendWith(InnerOnly.class)
    static class SkipsWithoutRoot {
        @Network
        static TestNetwork net = TestNetwork.of(Topology.create().ns("x"));

        @Test
        void neverRunsWithoutRoot() {}
    }

    /** Runs {@code inner} in a child JVM without CAP_NET_ADMIN and CAP_SYS_ADMIN (setpriv drops them). */
    static String runUnprivileged(Class<?> inner) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Ip.Result r = Ip.exec(List.of(
                "setpriv",
                "--bounding-set=-net_admin,-sys_admin",
                "--inh-caps=-all",
                java,
                "-cp",
                System.getProperty("java.class.path"),
                LaunchInner.class.getName(),
                inner.getName()));
        assertThat(r.exitCode()).as(r.err()).isZero();
        return r.out();
    }

    @Test
    void withoutPrivilegesAClassFailsLoudlyUnlessItOptsIntoSkipping() {
        String failed = runUnprivileged(NeedsRoot.class);
        assertThat(failed)
                .contains("started=0")
                .contains("containersFailed=1")
                .contains(
                        "NeedsRoot builds real networks and needs root: the JVM lacks CAP_NET_ADMIN and CAP_SYS_ADMIN")
                .contains("skipWithoutPrivileges = true");
        String skipped = runUnprivileged(SkipsWithoutRoot.class);
        assertThat(skipped)
                .contains("started=0")
                .contains("containersFailed=0")
                .contains("containersAborted=0")
                .contains("containersSkipped=1");
    }

    static TestExecutionSummary run(Class<?> c) {
        LauncherDiscoveryRequest req = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(c))
                .configurationParameter(InnerOnly.KEY, "true")
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "false")
                .build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(req, listener);
        return listener.getSummary();
    }

    @Test
    void failureMessagesShowTheNetworkAndTheNetworksAreClosedAnyway() {
        synchronized (seen) {
            seen.clear();
            TestExecutionSummary s = run(Failing.class);
            assertThat(s.getTestsFailedCount()).isEqualTo(2);
            Throwable assertion = s.getFailures().stream()
                    .map(TestExecutionSummary.Failure::getException)
                    .filter(t -> t instanceof AssertionFailedError)
                    .findFirst()
                    .orElseThrow();
            assertThat(assertion.getMessage())
                    .startsWith("one is not two ==> expected: <1> but was: <2>")
                    .contains("network 'shared'")
                    .contains("network 'mine'")
                    .contains("ip netns add")
                    .contains("10.7.0.1/24");
            assertThat(((AssertionFailedError) assertion).getExpected().getValue())
                    .isEqualTo(1);
            assertThat(assertion.getStackTrace()[0].toString()).doesNotContain("NetvirtExtension");
            Throwable other = s.getFailures().stream()
                    .map(TestExecutionSummary.Failure::getException)
                    .filter(t -> t instanceof IllegalStateException)
                    .findFirst()
                    .orElseThrow();
            assertThat(other).hasMessage("not an assertion");
            assertThat(other.getSuppressed())
                    .singleElement()
                    .satisfies(d -> assertThat(d.getMessage())
                            .contains("network 'shared'")
                            .contains("10.7.0.2/24"));
            assertThat(seen).hasSize(2).noneMatch(TestNetwork::isRunning);
        }
    }

    /** The message shows a device a test set down as down, not as declared. */
    @Test
    void aDeviceSetDownIsShownDown() {
        TestExecutionSummary s = run(FailsWithADeviceDown.class);
        assertThat(s.getFailures()).singleElement().satisfies(f -> {
            String network = f.getException()
                    .getMessage()
                    .substring(f.getException().getMessage().indexOf("network 'net':"));
            String described = network.substring(0, network.indexOf("built by:"));
            assertThat(described)
                    .contains("eth0 veth peer a/eth0 declared up; now down 10.8.5.2/24")
                    .contains("eth0 veth peer b/eth0 up 10.8.5.1/24");
        });
    }

    /** A network that keepOnFailure cannot keep is reported removed, in one sentence, and is gone. */
    @Test
    void aNetworkThatCannotBeKeptIsReportedRemovedNotKept() {
        List<String> entries = new ArrayList<>();
        TestNetwork net;
        synchronized (seen) {
            seen.clear();
            LauncherFactory.create()
                    .execute(
                            LauncherDiscoveryRequestBuilder.request()
                                    .selectors(selectClass(KeptWithATap.class))
                                    .configurationParameter(InnerOnly.KEY, "true")
                                    .configurationParameter("junit.jupiter.execution.parallel.enabled", "false")
                                    .build(),
                            new TestExecutionListener() {
                                @Override
                                public void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
                                    entry.getKeyValuePairs().forEach((k, v) -> {
                                        if (k.equals(NetvirtExtension.REPORT_KEY)) {
                                            entries.add(v);
                                        }
                                    });
                                }
                            });
            net = seen.get(0);
        }
        String name = net.kernelNames().get("t");
        try {
            assertThat(entries)
                    .singleElement()
                    .isEqualTo("netvirt: network 'net' of fails() was not kept after its failure: a topology with taps"
                            + " cannot be detached: they close with it; it was removed instead");
            assertThat(NetNamespace.exists(name)).as(name).isFalse();
            assertThat(net.isRunning()).isFalse();
        } finally {
            if (NetNamespace.exists(name)) {
                NetNamespace.delete(name);
            }
        }
    }

    @Test
    void aFailingSetUpAlsoShowsTheNetwork() {
        TestExecutionSummary s = run(FailingSetUp.class);
        assertThat(s.getFailures())
                .singleElement()
                .satisfies(f -> assertThat(f.getException().getMessage())
                        .startsWith("set-up failed")
                        .contains("network 'net'")
                        .contains("10.9.9.1/24"));
    }

    @Test
    void keepOnFailureLeavesNamedNamespacesToInspect() throws Exception {
        Map<String, String> names;
        TestNetwork kept;
        synchronized (seen) {
            seen.clear();
            TestExecutionSummary s = run(Kept.class);
            assertThat(s.getTestsFailedCount()).isEqualTo(1);
            kept = seen.get(0);
            names = kept.kernelNames();
        }
        try {
            assertThat(names).containsKeys("left", "right");
            for (String kernel : names.values()) {
                assertThat(NetNamespace.exists(kernel)).as(kernel).isTrue();
            }
            assertThat(Ip.ok("-n", names.get("left"), "-j", "addr", "show", "dev", "eth0"))
                    .contains("10.8.0.1");
        } finally {
            assertThat(kept.removeKept())
                    .containsAll(names.values().stream().map(n -> "netns " + n).toList());
            for (String kernel : names.values()) {
                if (NetNamespace.exists(kernel)) {
                    NetNamespace.delete(kernel);
                }
            }
        }
        for (String kernel : names.values()) {
            assertThat(NetNamespace.exists(kernel)).as(kernel).isFalse();
        }
    }

    /**
     * The failure message shows the network the test failed on, as its change left it, and a script
     * that builds that one; the network kept is that one, and removeKept() removes all of it.
     */
    @Test
    void aNetworkChangedBeforeTheFailureIsShownKeptAndRemovedAsItWas() {
        Map<String, String> names;
        TestNetwork kept;
        String message;
        synchronized (seen) {
            seen.clear();
            TestExecutionSummary s = run(KeptAfterChange.class);
            assertThat(s.getTestsFailedCount()).isEqualTo(1);
            message = s.getFailures().get(0).getException().getMessage();
            kept = seen.get(0);
            names = kept.kernelNames();
        }
        List<String> removed = List.of();
        try {
            assertThat(names).containsOnlyKeys("a", "b", "extra");
            String network = message.substring(message.indexOf("network 'net':"));
            assertThat(network)
                    .contains("netns extra")
                    .contains("10.8.8.1/24")
                    .contains("10.8.8.2/24")
                    .doesNotContain("10.8.7.1/24")
                    .doesNotContain("10.8.7.2/24");
            String script = network.substring(network.indexOf("built by:"));
            assertThat(script)
                    .contains("ip netns add " + names.get("extra") + "\n")
                    .contains("10.8.8.1/24")
                    .doesNotContain("10.8.7.1/24");
            assertThat(Ip.ok("-n", names.get("extra"), "-br", "addr")).contains("10.8.8.2/24");
        } finally {
            removed = kept.removeKept();
            for (String kernel : names.values()) {
                if (NetNamespace.exists(kernel)) {
                    NetNamespace.delete(kernel);
                }
            }
        }
        assertThat(removed)
                .containsExactlyInAnyOrderElementsOf(
                        names.values().stream().map(n -> "netns " + n).toList());
    }

    @Test
    void aTestSkippedByAnotherExtensionBeforeNetvirtsBeforeEachLeavesTheClassNetworkRunning() {
        synchronized (seen) {
            seen.clear();
            TestExecutionSummary s = run(OtherExtensionSkips.class);
            assertThat(s.getFailures())
                    .extracting(f -> f.getException().getMessage())
                    .isEmpty();
            assertThat(s.getTestsAbortedCount()).isEqualTo(1);
            assertThat(s.getTestsSucceededCount()).isEqualTo(1);
            assertThat(seen)
                    .singleElement()
                    .satisfies(n -> assertThat(n.isRunning())
                            .as("closed after the class")
                            .isFalse());
        }
    }

    @Test
    void aNullNetworkFieldIsAClearError() {
        TestExecutionSummary s = run(Misconfigured.class);
        assertThat(s.getFailures())
                .singleElement()
                .satisfies(f -> assertThat(f.getException())
                        .hasMessageContaining("@Network field nothing is null")
                        .hasMessageContaining("TestNetwork.of("));
    }

    @Test
    void missingPrivilegesAreNamed() {
        assertThat(Privileges.missing(~0L)).isNull();
        assertThat(Privileges.missing(0L)).contains("CAP_NET_ADMIN and CAP_SYS_ADMIN");
        assertThat(Privileges.missing(1L << 21)).contains("lacks CAP_NET_ADMIN ");
        assertThat(io.github.netvirt.netns.internal.Capabilities.effective(
                        List.of("Name: java", "CapEff:\t000001ffffffffff")))
                .isEqualTo(0x1ffffffffffL);
    }
}
