package io.github.netvirt.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.core.InvalidTopologyException;
import io.github.netvirt.core.testing.Topologies;
import io.github.netvirt.netns.testing.RequiresRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** A class whose second static network cannot be built: the first, already built, is removed. */
@RequiresRoot
class HalfBuiltClassTest {
    @NetvirtTest
    @ExtendWith(InnerOnly.class)
    static class SecondInvalid {
        @Network
        static TestNetwork good = TwoHosts.of("a", "b", "10.7.11");

        @Network
        static TestNetwork bad =
                TestNetwork.of(Topologies.twoHosts("a", "b", "10.7.12").prefix("ju/bad"));

        @Test
        void neverRuns() {}
    }

    @Test
    void theNetworkBuiltBeforeTheFailureIsRemoved() {
        TestExecutionSummary s = SharingTest.run(false, SecondInvalid.class);
        assertThat(s.getTotalFailureCount()).isEqualTo(1);
        assertThat(s.getFailures().get(0).getException()).isInstanceOf(InvalidTopologyException.class);
        assertThat(s.getTestsStartedCount()).isZero();
        assertThat(SecondInvalid.good.isRunning())
                .as("removed after the class failed")
                .isFalse();
        assertThat(SecondInvalid.good.describe())
                .as("it was built, then closed")
                .startsWith("CLOSED");
    }
}
