package io.github.netvirt.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.core.Topology;
import io.github.netvirt.netns.NetNamespace;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * {@code @RunIn("db")} and {@code @Host("db")} with networks in several scopes (a static one and a
 * per-method one): the one network that has the host is meant, whatever its scope; several that have
 * it are refused, naming them.
 */
class HostAcrossScopesTest {
    /** What the inner tests saw: the namespace the test ran in and the one it was given, by test. */
    static final Map<String, String> seen = new ConcurrentHashMap<>();

    @NetvirtTest
    @ExtendWith(InnerOnly.class)
    static class OnlyTheOuterHasIt {
        @Network
        static TestNetwork backend = TwoHosts.of("db", "app", "10.92.0");

        @Network
        TestNetwork scratch = TestNetwork.of(Topology.create().ns("x"));

        @Test
        @RunIn("db")
        void runInDb() {
            seen.put("runIn", NetNamespace.currentThreadId());
            seen.put("runIn.expected", backend.namespace("db").id());
        }

        @Test
        void hostDb(@Host("db") NetNamespace db) {
            seen.put("host", db.id());
            seen.put("host.expected", backend.namespace("db").id());
        }

        @Test
        void hostX(@Host("x") NetNamespace x) {
            seen.put("x", x.id());
            seen.put("x.expected", scratch.namespace("x").id());
        }
    }

    @NetvirtTest
    @ExtendWith(InnerOnly.class)
    static class BothScopesHaveIt {
        @Network
        static TestNetwork outer = TwoHosts.of("db", "app", "10.92.1");

        @Network
        TestNetwork inner = TestNetwork.of(Topology.create().ns("db"));

        @Test
        void hostDb(@Host("db") NetNamespace db) {}

        @Test
        @RunIn("db")
        void runInDb() {}
    }

    @NetvirtTest
    @ExtendWith(InnerOnly.class)
    static class OneScopeHasTwo {
        @Network
        static TestNetwork first = TwoHosts.of("db", "app", "10.92.2");

        @Network
        static TestNetwork second = TestNetwork.of(Topology.create().ns("db"));

        @Test
        void hostDb(@Host("db") NetNamespace db) {}
    }

    @Test
    void theOneNetworkThatHasTheHostIsMeantWhateverItsScope() {
        seen.clear();
        TestExecutionSummary s = FailureTest.run(OnlyTheOuterHasIt.class);
        assertThat(s.getFailures()).extracting(f -> f.getException().toString()).isEmpty();
        assertThat(s.getTestsSucceededCount()).isEqualTo(3);
        assertThat(seen.get("runIn")).isEqualTo(seen.get("runIn.expected"));
        assertThat(seen.get("host")).isEqualTo(seen.get("host.expected"));
        assertThat(seen.get("x")).isEqualTo(seen.get("x.expected"));
    }

    @Test
    void severalNetworksWithTheHostAcrossScopesAreRefusedByName() {
        TestExecutionSummary s = FailureTest.run(BothScopesHaveIt.class);
        assertThat(s.getTestsFailedCount()).isEqualTo(2);
        List<String> messages =
                s.getFailures().stream().map(f -> f.getException().getMessage()).toList();
        assertThat(messages)
                .hasSize(2)
                .allSatisfy(m -> assertThat(m)
                        .contains("'db'")
                        .contains("outer")
                        .contains("inner")
                        .contains("network = \"field\""));
    }

    @Test
    void withinOneScopeTheAmbiguityMessageStays() {
        TestExecutionSummary s = FailureTest.run(OneScopeHasTwo.class);
        assertThat(s.getTestsFailedCount()).isEqualTo(1);
        assertThat(s.getFailures().get(0).getException().getMessage())
                .contains("several networks [first, second] could be meant");
    }
}
