package io.github.netvirt.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.core.testing.Topologies;
import io.github.netvirt.netns.NetNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * {@code @RunIn} of a host the networks do not have fails the test saying so, as {@code @Host} of one
 * does: naming the annotation and the host, not a bare NoSuchElementException.
 */
class RunInOfAnUnknownHostTest {

    @Test
    void theFailureNamesRunInAndTheHost() {
        TestExecutionSummary s = FailureTest.run(Unknown.class);
        assertThat(s.getFailures()).hasSize(2);
        assertThat(s.getFailures())
                .filteredOn(f -> f.getTestIdentifier().getDisplayName().startsWith("runIn"))
                .singleElement()
                .satisfies(f -> assertThat(f.getException())
                        .hasMessageContaining("@RunIn(\"nosuch\")")
                        .hasMessageContaining("runIn")
                        .hasMessageContaining("[server, client]"));
    }

    @NetvirtTest
    @ExtendWith(InnerOnly.class)
    static class Unknown {
        @Network
        static TestNetwork net =
                TestNetwork.of(Topologies.twoHosts("server", "client", "10.6.9").prefix("jH-"));

        @Test
        @RunIn("nosuch")
        void runIn() {}

        @Test
        void host(@Host("nosuch") NetNamespace ns) {}
    }
}
