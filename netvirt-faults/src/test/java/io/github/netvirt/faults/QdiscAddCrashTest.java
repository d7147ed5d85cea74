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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A JVM killed right after the kernel made a {@link RateLimit}'s root qdisc on a device of a namespace
 * its topology adopted, before the add returned (its echo never read), leaves a crash record that
 * names the qdisc by its handle: the cleanup deletes it. A root qdisc someone put on another device,
 * or on that device in place of the fault's, stays.
 */
@RequiresRoot
class QdiscAddCrashTest {
    private final String p = TestNames.unique("gM");
    private final String app = p + "-app";
    private final String l0 = p + "l0";
    private final String l1 = p + "l1";
    private final String m0 = p + "m0";
    private final String m1 = p + "m1";
    private Path runDir;

    @BeforeEach
    void script() throws IOException {
        Ip.ok("netns", "add", app);
        Ip.ok("-n", app, "link", "add", l0, "type", "veth", "peer", "name", l1);
        Ip.ok("-n", app, "link", "add", m0, "type", "veth", "peer", "name", m1);
        for (String d : List.of(l0, l1, m0, m1)) {
            Ip.ok("-n", app, "link", "set", d, "up");
        }
        runDir = Files.createTempDirectory("netvirt-run-gM");
    }

    @AfterEach
    void teardown() throws IOException {
        Ip.run("netns", "del", app); // with whatever was left in it
        try (var files = Files.list(runDir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(runDir);
    }

    /** {@code tc -j qdisc show dev DEV} in the test's namespace. */
    private String qdiscs(String dev) {
        return RateLimitTest.tc("-n", app, "-j", "qdisc", "show", "dev", dev);
    }

    /** The handle of the tbf on {@code dev}, as {@code tc} prints it ("9abc:"); fails when it has none. */
    private String tbfHandle(String dev) {
        Matcher m =
                Pattern.compile("\"kind\":\"tbf\",\"handle\":\"([0-9a-f]+:)\"").matcher(qdiscs(dev));
        assertThat(m.find()).as("a tbf on %s: %s", dev, qdiscs(dev)).isTrue();
        return m.group(1);
    }

    /** Runs the child that dies right after its add on {@code l0}; the tbf it made is there. */
    private void crashRightAfterTheAdd() throws Exception {
        Process child = ChildJvm.startUntil(
                "ADDED",
                List.of("-Dnetvirt.run.dir=" + runDir, "-Dnetvirt.reaper=false"),
                QdiscAddCrashChild.class,
                p,
                app,
                l0);
        try {
            assertThat(child.waitFor(120, TimeUnit.SECONDS))
                    .as("the child halted")
                    .isTrue();
        } finally {
            child.destroyForcibly().waitFor();
        }
        assertThat(qdiscs(l0)).contains("\"kind\":\"tbf\"");
    }

    private String cleanup() {
        String out = Ip.exec(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Dnetvirt.run.dir=" + runDir,
                        "-Dnetvirt.reaper=false",
                        "-cp",
                        System.getProperty("java.class.path"),
                        CleanupChild.class.getName()))
                .ok()
                .out();
        System.out.println("cleanup: " + out);
        return out;
    }

    private void noRecordLeft(String cleanup) throws IOException {
        try (var files = Files.list(runDir)) {
            assertThat(files.filter(f -> f.toString().endsWith(".topology")).toList())
                    .as("records left; cleanup: %s", cleanup)
                    .isEmpty();
        }
    }

    @Test
    void cleanupRemovesTheRootQdiscOfAJvmKilledRightAfterItsAdd() throws Exception {
        crashRightAfterTheAdd();
        // someone's root qdisc on another device, given a handle by the kernel
        RateLimitTest.tc(
                "-n", app, "qdisc", "add", "dev", m0, "root", "tbf", "rate", "1mbit", "burst", "32kbit", "latency",
                "400ms");
        String theirs = qdiscs(m0);

        String cleanup = cleanup();

        assertThat(qdiscs(l0)).as("cleanup: %s", cleanup).doesNotContain("\"kind\":\"tbf\"");
        assertThat(qdiscs(m0)).as("cleanup: %s", cleanup).isEqualTo(theirs);
        noRecordLeft(cleanup);
    }

    @Test
    void cleanupLeavesARootQdiscPutInPlaceOfTheOneOfAJvmKilledRightAfterItsAdd() throws Exception {
        crashRightAfterTheAdd();
        String ours = tbfHandle(l0);
        String handle = ours.equals("7:") ? "8:" : "7:";
        RateLimitTest.tc("-n", app, "qdisc", "del", "dev", l0, "root");
        RateLimitTest.tc(
                "-n", app, "qdisc", "add", "dev", l0, "root", "handle", handle, "tbf", "rate", "1mbit", "burst",
                "32kbit", "latency", "400ms");

        String cleanup = cleanup();

        assertThat(tbfHandle(l0)).as("cleanup: %s", cleanup).isEqualTo(handle);
        noRecordLeft(cleanup);
    }
}
