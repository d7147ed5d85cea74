package io.github.netvirt.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.tap.testing.PcapFrames;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * {@link CaptureOnFailure} through the JUnit launcher: a failing test leaves one pcap file per
 * device under target/netvirt-captures/CLASS/METHOD and names them in its message; a passing test
 * leaves nothing.
 */
class CaptureOnFailureTest {
    static final Path DIR = Path.of("target", "netvirt-captures");

    @NetvirtTest
    @CaptureOnFailure
    @ExtendWith(InnerOnly.class)
    static class Captured {
        @Network
        TestNetwork net = TwoHosts.of("web", "db", "10.7.1");

        @Test
        void connectsThenFails() throws IOException {
            connect(net);
            throw new AssertionError("the order was lost");
        }

        @Test
        void connectsAndPasses() throws IOException {
            connect(net);
        }

        @Test
        void connectsThenSkips() throws IOException {
            connect(net);
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "not on this machine");
        }

        static void connect(TestNetwork net) throws IOException {
            try (ServerSocket server = net.namespace("db").serverSocketFactory().createServerSocket(5432);
                    Socket s = net.namespace("web").socketFactory().createSocket()) {
                s.connect(new InetSocketAddress("10.7.1.2", 5432), 3000);
                server.accept().close();
            }
        }
    }

    @Test
    void aFailedTestKeepsOneFilePerDeviceAndNamesThemAndAPassingOrSkippedOneLeavesNothing() throws Exception {
        Path failed = DIR.resolve(Captured.class.getName()).resolve("connectsThenFails");
        Path passed = DIR.resolve(Captured.class.getName()).resolve("connectsAndPasses");
        Path skipped = DIR.resolve(Captured.class.getName()).resolve("connectsThenSkips");
        delete(DIR.resolve(Captured.class.getName()));
        try {
            TestExecutionSummary s = FailureTest.run(Captured.class);
            assertThat(s.getTestsSucceededCount()).isEqualTo(1);
            assertThat(s.getTestsAbortedCount()).isEqualTo(1);
            assertThat(s.getFailures())
                    .singleElement()
                    .satisfies(f -> assertThat(f.getException().getMessage())
                            .startsWith("the order was lost")
                            .contains(failed.resolve("web-eth0.pcap")
                                    .toAbsolutePath()
                                    .toString())
                            .contains(failed.resolve("db-eth0.pcap")
                                    .toAbsolutePath()
                                    .toString())
                            .contains("network 'net'"));
            try (Stream<Path> files = Files.list(failed)) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .containsExactlyInAnyOrder("web-eth0.pcap", "db-eth0.pcap");
            }
            // each end saw the handshake both ways
            for (String end : List.of("web-eth0.pcap", "db-eth0.pcap")) {
                assertThat(PcapFrames.tcp(failed.resolve(end)))
                        .as(end)
                        .containsSubsequence("SYN 10.7.1.1 > 10.7.1.2:5432", "SYN+ACK 10.7.1.2:5432 > 10.7.1.1");
            }
            assertThat(passed).doesNotExist();
            assertThat(skipped).doesNotExist();
        } finally {
            delete(DIR.resolve(Captured.class.getName()));
        }
    }

    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
