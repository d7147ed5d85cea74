package io.github.netvirt.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.netvirt.core.Topology;
import io.github.netvirt.faults.Partition;
import io.github.netvirt.faults.ScheduleRun;
import io.github.netvirt.faults.UnreachableException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's netvirt-junit example, with assertions on what it claims. */
@NetvirtTest
@CaptureOnFailure
class ReadmeExampleTest {
    @Network
    static TestNetwork net = TestNetwork.of(Topology.create()
            .ns("server")
            .veth("eth0", "client", "eth0")
            .addr("10.0.0.1/24")
            .ns("client")
            .dev("eth0")
            .addr("10.0.0.2/24"));

    @Test
    @RunIn("server")
    void serves() throws Exception {
        try (ServerSocket s = new ServerSocket(8080)) {
            net.awaitReachable("client", "10.0.0.1", 8080, Duration.ofSeconds(5));
            net.down("client", "eth0");
            assertThatThrownBy(() -> net.awaitReachable("client", "10.0.0.1", 8080, Duration.ofMillis(300)))
                    .isInstanceOf(UnreachableException.class);
            net.up("client", "eth0");
            net.awaitReachable("client", "10.0.0.1", 8080, Duration.ofSeconds(5));
            assertThat(s.getLocalPort()).isEqualTo(8080);
        }
    }

    @Test
    @RunIn("server")
    void recoversFromSeededFaults() throws Exception {
        assumeThat(filtersWork())
                .as("partitions need nf_tables (through nft on this branch)")
                .isTrue();
        try (ServerSocket s = new ServerSocket(8081);
                ScheduleRun faults = net.schedule(Duration.ofSeconds(2))) {
            assertThat(faults.awaitEnd(Duration.ofSeconds(10))).isTrue();
            net.awaitReachable("client", "10.0.0.1", 8081, Duration.ofSeconds(5));
            assertThat(faults.log())
                    .hasSize(2 * faults.schedule().faults().size())
                    .noneMatch(l -> l.contains("FAILED"));
        }
    }

    /** Whether this build can filter packets (a probe partition, healed at once). */
    static boolean filtersWork() {
        try (Partition p = Partition.between(List.of(net.namespace("server")), List.of(net.namespace("client")))) {
            return true;
        } catch (IllegalStateException e) {
            if (String.valueOf(e.getMessage()).contains("nft command")) {
                return false;
            }
            throw e;
        }
    }
}
