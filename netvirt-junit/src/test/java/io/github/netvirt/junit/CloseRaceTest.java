package io.github.netvirt.junit;

import io.github.netvirt.netns.testing.CloseRace;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** Calls on a running TestNetwork racing its close: each completes or says the network is not running. */
@RequiresRoot
class CloseRaceTest {
    @Test
    void callsRacingCloseCompleteOrSayTheNetworkIsNotRunning() throws Exception {
        CloseRace.run(
                60,
                3,
                CloseRaceTest::start,
                (net, i) -> {
                    switch (i % 3) {
                        case 0 -> net.down("a", "eth0");
                        case 1 -> net.up("a", "eth0");
                        default -> Objects.requireNonNull(net.namespace("b"), "host");
                    }
                },
                m -> m.startsWith("this network is not running"));
    }

    private static TestNetwork start() {
        TestNetwork net = TwoHosts.of("a", "b", "10.0.4");
        net.start(TestNames.unique("hEjr") + "-", false);
        return net;
    }
}
