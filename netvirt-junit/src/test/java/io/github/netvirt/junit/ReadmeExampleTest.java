package io.github.netvirt.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.core.Topology;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The README's netvirt-junit example, with assertions on what it claims. */
@NetvirtTest
class ReadmeExampleTest {
    @Network
    static TestNetwork net = TestNetwork.of(Topology.create()
            .ns("server").veth("eth0", "client", "eth0").addr("10.0.0.1/24")
            .ns("client").dev("eth0").addr("10.0.0.2/24"));

    @Test
    @RunIn("server")
    void serves() throws Exception {
        try (ServerSocket s = new ServerSocket(8080)) {
            net.awaitReachable("client", "10.0.0.1", 8080, Duration.ofSeconds(5));
            net.down("client", "eth0");
            assertThatThrownBy(() -> net.awaitReachable("client", "10.0.0.1", 8080, Duration.ofMillis(300)))
                    .isInstanceOf(io.github.netvirt.faults.UnreachableException.class);
            net.up("client", "eth0");
            net.awaitReachable("client", "10.0.0.1", 8080, Duration.ofSeconds(5));
            assertThat(s.getLocalPort()).isEqualTo(8080);
        }
    }
}
