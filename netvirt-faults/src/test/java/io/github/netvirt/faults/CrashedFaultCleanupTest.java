package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.ChildJvm;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A JVM killed ({@code kill -9}) while its faults are in force in namespaces its topology adopted
 * leaves none of their nftables tables there (each is owned by a socket of the killed JVM), and the
 * cleanup that follows, whose crash record still names them, finds them gone without failing and
 * removes the record: {@code nft list tables} in those namespaces shows none of netvirt's fault
 * tables, whether the topology also made devices there or not.
 */
@RequiresRoot
class CrashedFaultCleanupTest {
    private final String p = TestNames.unique("fr");
    private final String app = p + "-app";
    private final String db = p + "-db";
    private final String l0 = p + "l0";
    private final String l1 = p + "l1";
    private Path runDir;

    @BeforeEach
    void script() throws IOException {
        Ip.ok("netns", "add", app);
        Ip.ok("netns", "add", db);
        Ip.ok("-n", app, "link", "add", l0, "type", "veth", "peer", "name", l1, "netns", db);
        Ip.ok("-n", app, "addr", "add", "10.96.0.1/24", "dev", l0);
        Ip.ok("-n", db, "addr", "add", "10.96.0.2/24", "dev", l1);
        Ip.ok("-n", app, "link", "set", l0, "up");
        Ip.ok("-n", db, "link", "set", l1, "up");
        runDir = Files.createTempDirectory("netvirt-run-fr");
    }

    @AfterEach
    void teardown() throws IOException {
        Ip.run("netns", "del", app); // with whatever table was left in it
        Ip.run("netns", "del", db);
        try (var files = Files.list(runDir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(runDir);
    }

    /** The fault tables in {@code ns}, as {@code nft list tables} shows them. */
    private static List<String> faultTables(String ns) {
        return LoneFaultKillTest.tables(ns).stream()
                .filter(t -> t.startsWith("netvirt_fault_"))
                .toList();
    }

    private List<String> java(Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dnetvirt.run.dir=" + runDir,
                "-Dnetvirt.reaper=false",
                "-cp",
                System.getProperty("java.class.path"),
                main.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    @ParameterizedTest
    @ValueSource(strings = {"devices", "bare"})
    void cleanupAfterAKilledJvmRemovesItsFaultTablesFromAdoptedNamespaces(String mode) throws Exception {
        Process child = ChildJvm.startUntil(
                "FAULTED",
                List.of("-Dnetvirt.run.dir=" + runDir, "-Dnetvirt.reaper=false"),
                CrashedFaultChild.class,
                p,
                app,
                db,
                mode);
        try {
            assertThat(faultTables(app)).as("the partition's table in %s", app).hasSize(1);
            assertThat(faultTables(db))
                    .as("the partition's and the refusal's tables in %s", db)
                    .hasSize(2);
        } finally {
            child.destroyForcibly().waitFor(); // SIGKILL: no heal, no close
        }
        // owned by the killed JVM's sockets, the tables went with them; the record still names them
        assertThat(faultTables(app))
                .as("fault tables left in %s after the kill", app)
                .isEmpty();
        assertThat(faultTables(db))
                .as("fault tables left in %s after the kill", db)
                .isEmpty();

        Ip.Result cleanup = Ip.exec(java(CleanupChild.class)).ok();
        System.out.println("cleanup (" + mode + "): " + cleanup.out());

        assertThat(faultTables(app))
                .as("fault tables left in %s; cleanup: %s", app, cleanup.out())
                .isEmpty();
        assertThat(faultTables(db))
                .as("fault tables left in %s; cleanup: %s", db, cleanup.out())
                .isEmpty();
        // the script's namespaces and devices are left as they were
        assertThat(Ip.ok("-n", app, "-o", "addr", "show", "dev", l0)).contains("10.96.0.1/24");
        assertThat(Ip.ok("-n", db, "-o", "addr", "show", "dev", l1)).contains("10.96.0.2/24");
        try (var files = Files.list(runDir)) {
            assertThat(files.filter(f -> f.toString().endsWith(".topology")).toList())
                    .as("records left; cleanup: %s", cleanup.out())
                    .isEmpty();
        }
    }
}
