package io.github.netvirt.examples.httpintegration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.github.netvirt.junit.Host;
import io.github.netvirt.junit.NetvirtTest;
import io.github.netvirt.junit.Network;
import io.github.netvirt.junit.TestNetwork;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.JvmThreads;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The same scenario twice: as the runnable example, and as a JUnit test written with netvirt-junit. */
@NetvirtTest
class HttpIntegrationTest {
    @Network
    TestNetwork net = TestNetwork.of(HttpIntegration.topology());

    HttpServer server;

    @BeforeEach
    void startServer(@Host("server") NetNamespace ns) throws Exception {
        server = HttpIntegration.startServer(ns);
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    /**
     * A request leaves no JDK thread inside the client's namespace (HttpURLConnection's keep-alive
     * timer was born there when it ran inside call(), and kept the namespace alive after close).
     */
    @Test
    void aRequestLeavesNoThreadInsideTheClient(@Host("client1") NetNamespace client1) throws Exception {
        String inside = "net:[" + client1.inode() + "]";
        assertThat(HttpIntegration.get(client1, Duration.ofSeconds(3))).isEqualTo("hello 10.0.4.11");
        assertThat(HttpIntegration.get(client1, Duration.ofSeconds(3))).isEqualTo("hello 10.0.4.11");
        assertThat(JvmThreads.outsideRootNamespace())
                .filteredOn(t -> t.netns().equals(inside))
                .allMatch(JvmThreads.Task::resident);
    }

    @Test
    void aCutClientFailsWhileTheOtherCarriesOnAndRecoversWhenRestored(
            @Host("client1") NetNamespace client1, @Host("client2") NetNamespace client2) throws Exception {
        Duration timeout = Duration.ofSeconds(3);
        Duration impatient = Duration.ofMillis(500);
        assertThat(HttpIntegration.get(client1, timeout)).isEqualTo("hello 10.0.4.11");
        assertThat(HttpIntegration.get(client2, timeout)).isEqualTo("hello 10.0.4.12");

        net.down("lan", "c2-port");
        assertThatThrownBy(() -> HttpIntegration.get(client2, impatient)).isInstanceOf(IOException.class);
        assertThat(HttpIntegration.get(client1, timeout)).isEqualTo("hello 10.0.4.11");
        assertThat(net.pingAll(Duration.ofMillis(300)).reachable("client2", "server"))
                .isFalse();

        net.up("lan", "c2-port");
        net.awaitReachable("client2", "10.0.4.1", 8080, Duration.ofSeconds(10));
        assertThat(HttpIntegration.get(client2, timeout)).isEqualTo("hello 10.0.4.12");
    }
}
