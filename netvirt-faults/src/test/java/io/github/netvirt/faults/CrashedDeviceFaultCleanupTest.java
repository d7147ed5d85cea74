package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.ChildJvm;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A JVM killed ({@code kill -9}) while a {@link RateLimit}'s root qdisc and a {@link LinkCut} are in
 * force in namespaces its topology adopted leaves them until the next cleanup, which deletes the
 * qdisc by the handle and kind the crash record holds (a root qdisc someone put in its place since
 * stays) and sets the cut device up again.
 */
@RequiresRoot
class CrashedDeviceFaultCleanupTest {
    private final String p = TestNames.unique("fq");
    private final String app = p + "-app";
    private final String db = p + "-db";
    private final String l0 = p + "l0";
    private final String l1 = p + "l1";
    private final String m0 = p + "m0";
    private final String m1 = p + "m1";
    private Path runDir;

    @BeforeEach
    void script() throws IOException {
        Ip.ok("netns", "add", app);
        Ip.ok("netns", "add", db);
        Ip.ok("-n", app, "link", "add", l0, "type", "veth", "peer", "name", l1, "netns", db);
        Ip.ok("-n", app, "link", "add", m0, "type", "veth", "peer", "name", m1, "netns", db);
        Ip.ok("-n", app, "addr", "add", "10.97.0.1/24", "dev", l0);
        Ip.ok("-n", db, "addr", "add", "10.97.0.2/24", "dev", l1);
        for (String d : List.of(l0, m0)) {
            Ip.ok("-n", app, "link", "set", d, "up");
        }
        for (String d : List.of(l1, m1)) {
            Ip.ok("-n", db, "link", "set", d, "up");
        }
        runDir = Files.createTempDirectory("netvirt-run-fq");
    }

    @AfterEach
    void teardown() throws IOException {
        Ip.run("netns", "del", app); // with whatever was left in it
        Ip.run("netns", "del", db);
        try (var files = Files.list(runDir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(runDir);
    }

    /** {@code tc -j qdisc show dev DEV} in {@code ns}. */
    private static String qdiscs(String ns, String dev) {
        return Ip.exec(List.of("ip", "netns", "exec", ns, "tc", "-j", "qdisc", "show", "dev", dev))
                .ok()
                .out();
    }

    /** Whether {@code ip -j link show DEV} in {@code ns} has the UP flag. */
    private static boolean up(String ns, String dev) {
        return Ip.ok("-n", ns, "-j", "link", "show", "dev", dev).matches("(?s).*\"flags\": ?\\[[^]]*\"UP\".*");
    }

    /**
     * Faults healed before the kill are noted as over: the cleanup does not set up a device the test
     * set down since (it would, by ifindex and name, without the heal's {@code link-up} line), nor
     * delete a root qdisc the test put on a device the fault had (that one has another handle, so it
     * would stay anyway: the {@code qdisc-del} line is not what this proves).
     */
    @Test
    void cleanupAfterAKilledJvmLeavesWhatItsHealedFaultsHadAlone() throws Exception {
        Process child = ChildJvm.startUntil(
                "FAULTED",
                List.of("-Dnetvirt.run.dir=" + runDir, "-Dnetvirt.reaper=false"),
                CrashedDeviceFaultChild.class,
                p,
                app,
                db,
                l0,
                m0,
                l1,
                "healed");
        child.destroyForcibly().waitFor();
        assertThat(qdiscs(app, l0)).doesNotContain("\"kind\":\"tbf\"");
        assertThat(up(db, l1)).as("%s healed", l1).isTrue();
        Ip.ok("-n", db, "link", "set", l1, "down"); // the script's own doing
        Ip.exec(List.of(
                        "ip", "netns", "exec", app, "tc", "qdisc", "add", "dev", l0, "root", "tbf", "rate", "1mbit",
                        "burst", "32kbit", "latency", "400ms"))
                .ok();

        Ip.Result cleanup = Ip.exec(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Dnetvirt.run.dir=" + runDir,
                        "-Dnetvirt.reaper=false",
                        "-cp",
                        System.getProperty("java.class.path"),
                        CleanupChild.class.getName()))
                .ok();
        System.out.println("cleanup (healed): " + cleanup.out());

        assertThat(up(db, l1)).as("%s set up; cleanup: %s", l1, cleanup.out()).isFalse();
        assertThat(qdiscs(app, l0)).as("cleanup: %s", cleanup.out()).contains("\"kind\":\"tbf\"");
    }

    @Test
    void cleanupAfterAKilledJvmRemovesItsRootQdiscsAndSetsItsCutDeviceUp() throws Exception {
        Process child = ChildJvm.startUntil(
                "FAULTED",
                List.of("-Dnetvirt.run.dir=" + runDir, "-Dnetvirt.reaper=false"),
                CrashedDeviceFaultChild.class,
                p,
                app,
                db,
                l0,
                m0,
                l1);
        child.destroyForcibly().waitFor(); // SIGKILL: no heal, no close
        assertThat(qdiscs(app, l0)).contains("\"kind\":\"tbf\"");
        assertThat(qdiscs(app, m0)).contains("\"kind\":\"tbf\"");
        assertThat(up(db, l1)).as("%s cut", l1).isFalse();
        // someone puts a root qdisc of their own in place of the fault's on m0: it must stay
        Ip.exec(List.of("ip", "netns", "exec", app, "tc", "qdisc", "del", "dev", m0, "root"))
                .ok();
        Ip.exec(List.of("ip", "netns", "exec", app, "tc", "qdisc", "add", "dev", m0, "root", "handle", "7:", "pfifo"))
                .ok();

        Ip.Result cleanup = Ip.exec(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Dnetvirt.run.dir=" + runDir,
                        "-Dnetvirt.reaper=false",
                        "-cp",
                        System.getProperty("java.class.path"),
                        CleanupChild.class.getName()))
                .ok();
        System.out.println("cleanup: " + cleanup.out());

        assertThat(qdiscs(app, l0)).as("cleanup: %s", cleanup.out()).doesNotContain("\"kind\":\"tbf\"");
        assertThat(qdiscs(app, m0)).as("cleanup: %s", cleanup.out()).contains("\"kind\":\"pfifo\"");
        assertThat(up(db, l1))
                .as("%s still down; cleanup: %s", l1, cleanup.out())
                .isTrue();
        assertThat(Ip.ok("-n", db, "-o", "addr", "show", "dev", l1)).contains("10.97.0.2/24");
        try (var files = Files.list(runDir)) {
            assertThat(files.filter(f -> f.toString().endsWith(".topology")).toList())
                    .as("records left; cleanup: %s", cleanup.out())
                    .isEmpty();
        }
    }
}
