package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A schedule run whose close could not heal a fault (the kernel refused the cut's up) leaves it in
 * force and in {@link ScheduleRun#active()}: the next close tries its heal again, as a fault's own
 * heal does.
 */
@RequiresRoot
class ScheduleRunFailedHealTest {
    private static final int PORT = 4790;
    private final String host = TestNames.unique("fx");
    private NetNamespace ns;

    @BeforeEach
    void build() {
        ns = NetNamespace.create(host);
        // a vxlan device's up binds its UDP port: refused (EADDRINUSE) while a socket of the user's holds it
        Ip.ok(
                "-n",
                host,
                "link",
                "add",
                "vx0",
                "type",
                "vxlan",
                "id",
                "5",
                "dstport",
                Integer.toString(PORT),
                "local",
                "127.0.0.1");
        Ip.ok("-n", host, "link", "set", "vx0", "up");
    }

    @AfterEach
    void remove() {
        ns.close();
        if (NetNamespace.exists(host)) {
            NetNamespace.delete(host);
        }
    }

    private boolean up() {
        return Ip.ok("-n", host, "-o", "link", "show", "dev", "vx0").contains(",UP");
    }

    @Test
    void aSecondCloseHealsWhatTheFirstCouldNot() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        ScheduleRun run = FaultSchedule.over(List.of("h"), List.of())
                .length(Duration.ofSeconds(60))
                .faults(1)
                .faultLength(Duration.ofSeconds(60), Duration.ofSeconds(60))
                .fault("cut vx0", h -> {
                    LinkCut cut = LinkCut.cut(h.get("h"), "vx0");
                    started.countDown();
                    return cut;
                })
                .plan(1)
                .start(Map.of("h", ns));
        started.await();
        try (DatagramSocket port = ns.call(() -> new DatagramSocket(new InetSocketAddress(PORT)))) {
            assertThatThrownBy(run::close).isInstanceOf(NetlinkException.class);
        }
        assertThat(run.active()).as("the fault whose heal threw").hasSize(1);
        assertThat(up()).isFalse();
        run.close();
        assertThat(run.active()).isEmpty();
        assertThat(up()).as("healed by the second close").isTrue();
        run.close();
    }
}
