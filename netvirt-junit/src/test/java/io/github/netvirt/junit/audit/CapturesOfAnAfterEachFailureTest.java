package io.github.netvirt.junit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.core.Topology;
import io.github.netvirt.junit.CaptureOnFailure;
import io.github.netvirt.junit.NetvirtTest;
import io.github.netvirt.junit.Network;
import io.github.netvirt.junit.RunIn;
import io.github.netvirt.junit.TestNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code @CaptureOnFailure} keeps the files of a failed test, and a test failed by its
 * {@code @AfterEach} (a check of the server's state after the test, say) is one: its captures are
 * kept and its message names them (they were discarded, decided before the {@code @AfterEach} ran).
 * A passing test with a passing {@code @AfterEach} still leaves none.
 */
class CapturesOfAnAfterEachFailureTest {
    static TestNetwork serverClient() {
        return TestNetwork.of(Topology.create()
                .prefix("hJ-")
                .ns("server")
                .veth("eth0", "client", "eth0")
                .addr("10.0.0.1/24")
                .ns("client")
                .dev("eth0")
                .addr("10.0.0.2/24"));
    }

    @NetvirtTest
    @CaptureOnFailure(directory = "target/hJ-captures")
    @ExtendWith(AuditOnly.class)
    static class AfterEachFails {
        @Network
        TestNetwork net = serverClient();

        @AfterEach
        @RunIn("client")
        void tearDown() {
            throw new AssertionError("tear-down broke");
        }

        @Test
        void passes() {}
    }

    @NetvirtTest
    @CaptureOnFailure(directory = "target/hJ-captures")
    @ExtendWith(AuditOnly.class)
    static class AfterEachPasses {
        @Network
        TestNetwork net = serverClient();

        @AfterEach
        @RunIn("client")
        void tearDown() {}

        @Test
        void passes() {}
    }

    static Path dirOf(Class<?> c) {
        return Path.of("target/hJ-captures", c.getName());
    }

    static List<Path> files(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    static void delete(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    void aTestFailedByItsAfterEachKeepsItsCaptures() throws Exception {
        Path dir = dirOf(AfterEachFails.class);
        delete(dir);
        try {
            Launch l = Launch.run(false, AfterEachFails.class);
            Launch.Outcome o = l.get("AfterEachFails/passes()");
            assertThat(o.thrown()).hasMessageStartingWith("tear-down broke");
            assertThat(files(dir)).as("captures of the failed test").isNotEmpty();
            assertThat(o.thrown().getMessage()).contains("captures of this test (pcap)");
            for (Path f : files(dir)) {
                assertThat(o.thrown().getMessage()).contains(f.toAbsolutePath().toString());
            }
        } finally {
            delete(dir);
        }
    }

    @Test
    void aTestWhoseAfterEachPassesLeavesNone() throws Exception {
        Path dir = dirOf(AfterEachPasses.class);
        delete(dir);
        try {
            Launch l = Launch.run(false, AfterEachPasses.class);
            assertThat(l.get("AfterEachPasses/passes()").thrown()).isNull();
            assertThat(files(dir)).as("captures of a passing test").isEmpty();
        } finally {
            delete(dir);
        }
    }
}
