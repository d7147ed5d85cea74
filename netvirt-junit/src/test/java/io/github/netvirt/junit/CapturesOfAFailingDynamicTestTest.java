package io.github.netvirt.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * A failing dynamic test is a failed test to {@link CaptureOnFailure} as it is to keepOnFailure and
 * failure messages: the captures of its factory are kept and its message names them; a factory whose
 * dynamic tests all pass leaves none.
 */
class CapturesOfAFailingDynamicTestTest {
    static final Path DIR = Path.of("target", "dynamic-test-captures");

    @NetvirtTest
    @CaptureOnFailure(directory = "target/dynamic-test-captures")
    @ExtendWith(InnerOnly.class)
    static class Factories {
        @Network
        TestNetwork net = TwoHosts.of("web", "db", "10.96.0");

        @TestFactory
        List<DynamicTest> oneFails() {
            return List.of(
                    DynamicTest.dynamicTest("passes", () -> connect(net)), DynamicTest.dynamicTest("fails", () -> {
                        connect(net);
                        throw new AssertionError("the order was lost");
                    }));
        }

        @TestFactory
        List<DynamicTest> allPass() {
            return List.of(DynamicTest.dynamicTest("passes", () -> connect(net)));
        }
    }

    static void connect(TestNetwork net) throws IOException {
        try (ServerSocket server = net.namespace("db").serverSocketFactory().createServerSocket(5432);
                Socket s = net.namespace("web").socketFactory().createSocket()) {
            s.connect(new InetSocketAddress("10.96.0.2", 5432), 3000);
            server.accept().close();
        }
    }

    @Test
    void aFailingDynamicTestKeepsItsFactorysCapturesAndNamesThem() throws Exception {
        CaptureOnFailureTest.delete(DIR);
        try {
            TestExecutionSummary s = FailureTest.run(Factories.class);
            assertThat(s.getTestsFailedCount()).isEqualTo(1);
            String message = s.getFailures().get(0).getException().getMessage();
            Path kept = DIR.resolve(Factories.class.getName()).resolve("oneFails");
            assertThat(message).startsWith("the order was lost").contains("captures of this test (pcap)");
            List<String> files;
            try (Stream<Path> all = Files.walk(DIR)) {
                files = all.filter(p -> p.toString().endsWith(".pcap"))
                        .map(p -> DIR.relativize(p).toString())
                        .sorted()
                        .toList();
            }
            String dir = Factories.class.getName() + "/oneFails/";
            assertThat(files).containsExactly(dir + "db-eth0.pcap", dir + "web-eth0.pcap");
            assertThat(message)
                    .contains(kept.resolve("db-eth0.pcap").toAbsolutePath().toString());
            assertThat(Files.size(kept.resolve("db-eth0.pcap")))
                    .as("frames captured")
                    .isGreaterThan(24);
        } finally {
            CaptureOnFailureTest.delete(DIR);
        }
    }
}
