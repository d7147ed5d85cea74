package io.github.netvirt.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.core.Topology;
import io.github.netvirt.faults.impair.ImpairedLink;
import io.github.netvirt.tap.impair.Impairment;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * On a network the tests of a class share, a failing test's message shows the impaired links it
 * opened and those still open (an earlier test's, in force during it), not the links the tests
 * before it opened and closed: their seeds would pass for the one to replay.
 */
class ImpairedLinksOfEarlierTestsTest {
    @NetvirtTest
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    @ExtendWith(InnerOnly.class)
    static class Shared {
        @Network
        static TestNetwork net = TestNetwork.of(Topology.create().ns("a").ns("b"));

        @Test
        @Order(1)
        void closesItsLink() {
            try (ImpairedLink l = net.impair("a", "10.96.1.1/24", "b", "10.96.1.2/24", Impairment.none(), 1111)) {
                assertThat(l.seed()).isEqualTo(1111);
            }
        }

        @Test
        @Order(2)
        void leavesItsLinkOpen() {
            net.impair("a", "10.96.2.1/24", "b", "10.96.2.2/24", Impairment.none(), 2222);
        }

        @Test
        @Order(3)
        void fails() {
            try (ImpairedLink l = net.impair("a", "10.96.3.1/24", "b", "10.96.3.2/24", Impairment.none(), 3333)) {
                assertThat(l.seed()).isEqualTo(3333);
            }
            throw new AssertionError("an order was lost");
        }
    }

    @Test
    void aFailedTestShowsItsOwnAndTheOpenLinksNotTheClosedOnesOfEarlierTests() {
        TestExecutionSummary s = FailureTest.run(Shared.class);
        assertThat(s.getFailures()).hasSize(1);
        String message = s.getFailures().get(0).getException().getMessage();
        assertThat(message)
                .startsWith("an order was lost")
                .contains("seed 3333]")
                .contains("seed 2222]")
                .doesNotContain("seed 1111]");
        assertThat(Shared.net.isRunning()).isFalse();
    }
}
