package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.core.Topology;
import io.github.netvirt.netns.testing.ChildJvm;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * awaitReachable probes with a raw socket, which needs CAP_NET_RAW in the probing namespace. A JVM
 * without it (a container or pod that drops NET_RAW, a user with CAP_NET_ADMIN and CAP_SYS_ADMIN
 * alone) is told so at once, not after the whole timeout as "not reachable" of a server that listens.
 * A child JVM runs as root without CAP_NET_RAW.
 */
@RequiresRoot
class AwaitReachableWithoutRawSocketsTest {
    @Test
    void aRefusedRawSocketFailsAtOnceNamingCapNetRaw() throws Exception {
        String out = ChildJvm.runUnder(
                List.of("setpriv", "--inh-caps=-net_raw", "--bounding-set=-net_raw"), Child.class, 60);
        Matcher m = Pattern.compile("(?m)^THROWN after (\\d+) ms: (.*)$").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        assertThat(Long.parseLong(m.group(1))).as(out).isLessThan(5_000);
        assertThat(m.group(2)).as(out).contains("CAP_NET_RAW");
    }

    /** Runs in the child: a server listening, and awaitReachable from its peer with 10 s to spare. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            try (Topology t = Topology.create()
                            .ephemeral()
                            .ns("server")
                            .veth("eth0", "client", "eth0")
                            .addr("10.0.0.1/24")
                            .ns("client")
                            .dev("eth0")
                            .addr("10.0.0.2/24")
                            .apply();
                    ServerSocket s = t.namespace("server").serverSocketFactory().createServerSocket(8080)) {
                long start = System.nanoTime();
                try {
                    Reachability.awaitReachable(
                            t.namespace("client"), InetAddress.getByName("10.0.0.1"), 8080, Duration.ofSeconds(10));
                    System.out.println("REACHED");
                } catch (RuntimeException e) {
                    System.out.println("THROWN after " + (System.nanoTime() - start) / 1_000_000 + " ms: "
                            + e.getClass().getName() + ": " + e.getMessage());
                }
            }
        }
    }
}
