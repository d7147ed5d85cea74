package io.github.netvirt.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import io.github.netvirt.tap.impair.Impairment;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Every call on the live network, before its scope and after its close, fails with the one message. */
@RequiresRoot
class NotRunningTest {

    private static void assertNotRunning(TestNetwork net) {
        List<ThrowingCallable> calls = List.of(
                net::topology,
                () -> net.namespace("a"),
                () -> net.down("a", "eth0"),
                () -> net.up("a", "eth0"),
                () -> net.partition(List.of("a"), List.of("b")),
                () -> net.rateLimit("a", "eth0", 1_000_000),
                () -> net.drop("a", "b"),
                () -> net.impair("a", "10.0.9.1/24", "b", "10.0.9.2/24", Impairment.none(), 1),
                () -> net.pingAll(Duration.ofSeconds(1)),
                () -> net.awaitReachable("a", "10.0.5.2", 80, Duration.ofSeconds(1)));
        for (ThrowingCallable c : calls) {
            assertThatThrownBy(c)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("this network is not running: ");
        }
        assertThat(net.isRunning()).isFalse();
    }

    @Test
    void beforeItsScopeAndAfterItsClose() {
        TestNetwork net = TwoHosts.of("a", "b", "10.0.5");
        assertNotRunning(net);
        assertThat(net.script()).contains("10.0.5.1/24");
        net.start(TestNames.unique("hL") + "-", false);
        assertThat(net.isRunning()).isTrue();
        net.close();
        assertNotRunning(net);
        assertThat(net.script()).contains("10.0.5.1/24");
        net.close();
    }
}
