package io.github.netvirt.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.NetNamespace;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

@NetvirtTest
class RunInTest {
    @Network
    static TestNetwork net = TwoHosts.serverAndClient("10.6.0");

    private static String beforeAllRanIn;

    @BeforeAll
    @RunIn("server")
    static void beforeAllRunsInsideToo() {
        beforeAllRanIn = NetNamespace.currentThreadId();
    }

    @Test
    void aBeforeAllMethodRanInsideItsHost() {
        assertThat(beforeAllRanIn).isEqualTo(net.namespace("server").id());
    }

    @Test
    void runInOnATestFactoryIsRefused() {
        TestExecutionSummary s = FailureTest.run(OnAFactory.class);
        assertThat(s.getFailures())
                .singleElement()
                .satisfies(f -> assertThat(f.getException()).hasMessageContaining("@RunIn on @TestFactory"));
    }

    @NetvirtTest
    @ExtendWith(InnerOnly.class)
    static class OnAFactory {
        @Network
        static TestNetwork net = TwoHosts.serverAndClient("10.6.1");

        @TestFactory
        @RunIn("server")
        List<DynamicTest> tests() {
            return List.of(DynamicTest.dynamicTest("outside", () -> {}));
        }
    }

    @Test
    @RunIn("server")
    void theBodyRunsInsideTheHostWithPlainJavaSockets(@Host("server") NetNamespace server) throws Exception {
        assertThat(NetNamespace.currentThreadId()).isEqualTo(server.id());
        // a plain ServerSocket, no factory: 10.6.0.1 exists only in this namespace
        try (ServerSocket ss = new ServerSocket()) {
            ss.bind(new InetSocketAddress("10.6.0.1", 7000));
            Thread peer = new Thread(() -> {
                // threads started by the test inherit the namespace
                assertThat(NetNamespace.currentThreadId()).isEqualTo(server.id());
            });
            peer.start();
            peer.join();
            try (Socket c = net.namespace("client").socketFactory().createSocket("10.6.0.1", 7000);
                    Socket s = ss.accept()) {
                assertThat(s.getInetAddress().getHostAddress()).isEqualTo("10.6.0.2");
            }
        }
    }

    @Test
    void withoutRunInTheTestStaysOnItsOwnThread(@Host("server") NetNamespace server) {
        assertThat(NetNamespace.currentThreadId()).isNotEqualTo(server.id());
        assertThatThrownBy(() -> {
                    try (ServerSocket ss = new ServerSocket()) {
                        ss.bind(new InetSocketAddress("10.6.0.1", 7001));
                    }
                })
                .isInstanceOf(SocketException.class);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"server", "client"})
    @RunIn("client")
    void parameterizedTestsRunInsideToo(String name) {
        assertThat(NetNamespace.currentThreadId())
                .isEqualTo(net.namespace("client").id())
                .isNotEqualTo(net.namespace("server").id());
        assertThat(name).isIn("server", "client");
    }

    @Test
    @RunIn("client")
    void failuresInsideANamespaceReachJUnitUnchanged() {
        assertThatThrownBy(() -> {
                    throw new IllegalStateException("boom");
                })
                .hasMessage("boom");
    }
}
