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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A JVM killed between a {@link PortMirror}'s ingress qdisc's add and its filter's, on a device of a
 * namespace its topology adopted, leaves a bare ingress qdisc: the cleanup deletes it, by the mark
 * the mirror made it with. An ingress qdisc someone put in its place stays, and so does the mirror's
 * with a filter someone added to it.
 */
@RequiresRoot
class BareMirrorQdiscCleanupTest {
    private final String p = TestNames.unique("jL");
    private final String app = p + "-app";
    private final String l0 = p + "l0";
    private final String l1 = p + "l1";
    private Path runDir;

    @BeforeEach
    void script() throws IOException {
        Ip.ok("netns", "add", app);
        Ip.ok("-n", app, "link", "add", l0, "type", "veth", "peer", "name", l1);
        for (String d : List.of(l0, l1)) {
            Ip.ok("-n", app, "link", "set", d, "up");
        }
        runDir = Files.createTempDirectory("netvirt-run-jL");
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

    private String qdiscs() {
        return RateLimitTest.tc("-n", app, "-j", "qdisc", "show", "dev", l0);
    }

    /** Runs the child that dies between the mirror's two adds; the bare ingress qdisc it made is there. */
    private void crashBetweenTheAdds() throws Exception {
        Process child = ChildJvm.startUntil(
                "ADDED",
                List.of("-Dnetvirt.run.dir=" + runDir, "-Dnetvirt.reaper=false"),
                MirrorQdiscAddCrashChild.class,
                p,
                app,
                l0,
                l1);
        try {
            assertThat(child.waitFor(120, TimeUnit.SECONDS))
                    .as("the child halted")
                    .isTrue();
        } finally {
            child.destroyForcibly().waitFor();
        }
        assertThat(qdiscs()).contains("\"kind\":\"ingress\"");
        assertThat(RateLimitTest.tc("-n", app, "filter", "show", "dev", l0, "ingress"))
                .isEmpty();
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
    void cleanupRemovesTheBareIngressQdiscOfAJvmKilledBetweenTheMirrorsAdds() throws Exception {
        crashBetweenTheAdds();

        String cleanup = cleanup();

        assertThat(qdiscs()).as("cleanup: %s", cleanup).doesNotContain("\"kind\":\"ingress\"");
        noRecordLeft(cleanup);
    }

    @Test
    void cleanupLeavesAnIngressQdiscPutInPlaceOfTheBareOne() throws Exception {
        crashBetweenTheAdds();
        RateLimitTest.tc("-n", app, "qdisc", "del", "dev", l0, "ingress");
        RateLimitTest.tc("-n", app, "qdisc", "add", "dev", l0, "ingress");

        String cleanup = cleanup();

        assertThat(qdiscs()).as("cleanup: %s", cleanup).contains("\"kind\":\"ingress\"");
    }

    @Test
    void cleanupLeavesTheBareIngressQdiscWithAFilterSomeoneAddedToIt() throws Exception {
        crashBetweenTheAdds();
        RateLimitTest.tc(
                "-n",
                app,
                "filter",
                "add",
                "dev",
                l0,
                "parent",
                "ffff:",
                "protocol",
                "all",
                "prio",
                "7",
                "u32",
                "match",
                "u32",
                "0",
                "0",
                "action",
                "mirred",
                "egress",
                "mirror",
                "dev",
                l1);

        String cleanup = cleanup();

        assertThat(qdiscs()).as("cleanup: %s", cleanup).contains("\"kind\":\"ingress\"");
        assertThat(RateLimitTest.tc("-n", app, "filter", "show", "dev", l0, "ingress"))
                .as("cleanup: %s", cleanup)
                .contains("pref 7");
    }
}
