package io.github.netvirt.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.core.Topology;
import io.github.netvirt.netns.NetNamespace;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@NetvirtTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScopesTest {
    @Network
    static TestNetwork shared = TwoHosts.serverAndClient("10.0.0");

    @Network
    TestNetwork perTest = TwoHosts.of("a", "b", "10.1.0");

    static final List<Topology> sharedSeen = new ArrayList<>();
    static final List<Topology> perTestSeen = new ArrayList<>();
    static String serverIdBeforeAll;

    @BeforeAll
    static void beforeAll(
            @Network("shared") Topology t, @Host(value = "server", network = "shared") NetNamespace server) {
        assertThat(t.isOpen()).isTrue();
        serverIdBeforeAll = server.id();
    }

    @Test
    @Order(1)
    void staticFieldIsOneNetworkPerClassInstanceFieldOnePerMethod(
            @Network("shared") Topology s,
            @Network("perTest") Topology p,
            @Host(value = "a", network = "perTest") NetNamespace a) {
        assertThat(s).isSameAs(shared.topology());
        assertThat(p).isSameAs(perTest.topology());
        assertThat(a.id()).isEqualTo(p.namespace("a").id());
        assertThat(s.namespace("server").id()).isEqualTo(serverIdBeforeAll);
        sharedSeen.add(s);
        perTestSeen.add(p);
    }

    @Test
    @Order(2)
    void theNextMethodGetsAFreshInstanceNetworkAndTheSameStaticOne() {
        sharedSeen.add(shared.topology());
        perTestSeen.add(perTest.topology());
        assertThat(sharedSeen.get(1)).isSameAs(sharedSeen.get(0));
        assertThat(perTestSeen.get(1)).isNotSameAs(perTestSeen.get(0));
        assertThat(perTestSeen.get(0).isOpen())
                .as("the first method's network was closed after it")
                .isFalse();
    }

    @Test
    @Order(3)
    void networksAreRealAndEphemeral() throws Exception {
        assertThat(shared.topology().spec().ephemeral()).isTrue();
        String prefix = shared.topology().spec().prefix();
        assertThat(prefix).isNotEmpty();
        // other processes may have namespaces of the same logical names: look only for this network's
        assertThat(NetNamespace.list()).noneMatch(n -> n.startsWith(prefix));
        try (ServerSocketChannel ss = shared.namespace("server").openServerSocketChannel()) {
            ss.bind(new InetSocketAddress("10.0.0.1", 8080));
            shared.awaitReachable("client", "10.0.0.1", 8080, Duration.ofSeconds(5));
        }
        assertThat(perTest.pingAll(Duration.ofSeconds(1)).allReachable()).isTrue();
        assertThat(shared.script()).contains("ip netns add").contains("10.0.0.1/24");
        perTest.rateLimit("a", "eth0", 10_000_000);
        assertThat(perTest.namespace("a")
                        .exec("tc", "qdisc", "show", "dev", "eth0")
                        .stdout())
                .contains("tbf")
                .contains("10Mbit");
        try (var p = perTest.partition(List.of("a"), List.of("b"))) {
            assertThat(perTest.pingAll(Duration.ofMillis(300)).reachable("a", "b"))
                    .isFalse();
        }
        try (var d = perTest.drop("a", "b")) {
            assertThat(d.isActive()).isTrue();
        }
        assertThat(perTest.pingAll(Duration.ofSeconds(2)).allReachable()).isTrue();
    }

    @AfterAll
    static void afterAll() {
        assertThat(perTestSeen).allMatch(t -> !t.isOpen());
        assertThat(shared.isRunning())
                .as("closed after @AfterAll methods, not before")
                .isTrue();
    }
}
