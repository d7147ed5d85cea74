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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A JVM killed ({@code kill -9}) while a {@link PortMirror} is in force in a namespace its topology
 * adopted leaves the ingress qdisc and its mirred filter until the next cleanup, which deletes them as
 * the heal does: by the filter the crash record holds (priority, the u32 handle the add echoed, the
 * device mirrored to), with the qdisc only when no other filter is on it.
 */
@RequiresRoot
class CrashedMirrorCleanupTest {
    private final String p = TestNames.unique("pm");
    private final String app = p + "-app";
    private final String from = p + "f";
    private final String to = p + "t";
    private final String other = p + "o";
    private Path runDir;

    @BeforeEach
    void script() throws IOException {
        Ip.ok("netns", "add", app);
        for (String d : List.of(from, to, other)) {
            Ip.ok("-n", app, "link", "add", d, "type", "veth", "peer", "name", d + "p");
            Ip.ok("-n", app, "link", "set", d, "up");
            Ip.ok("-n", app, "link", "set", d + "p", "up");
        }
        runDir = Files.createTempDirectory("netvirt-run-pm");
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

    private String tc(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("ip", "netns", "exec", app, "tc"));
        cmd.addAll(List.of(args));
        return Ip.exec(cmd).ok().out();
    }

    private String qdiscs() {
        return tc("-j", "qdisc", "show", "dev", from);
    }

    private String filters() {
        return tc("-j", "filter", "show", "dev", from, "ingress");
    }

    private Process killedMirror(String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of(p, app, from, to));
        args.addAll(List.of(more));
        Process child = ChildJvm.startUntil(
                "FAULTED",
                List.of("-Dnetvirt.run.dir=" + runDir, "-Dnetvirt.reaper=false"),
                CrashedMirrorChild.class,
                args.toArray(String[]::new));
        child.destroyForcibly().waitFor(); // SIGKILL: no heal, no close
        return child;
    }

    private Ip.Result cleanup() {
        Ip.Result r = Ip.exec(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Dnetvirt.run.dir=" + runDir,
                        "-Dnetvirt.reaper=false",
                        "-cp",
                        System.getProperty("java.class.path"),
                        CleanupChild.class.getName()))
                .ok();
        System.out.println("cleanup: " + r.out());
        return r;
    }

    private void noRecordLeft(Ip.Result cleanup) throws IOException {
        try (var files = Files.list(runDir)) {
            assertThat(files.filter(f -> f.toString().endsWith(".topology")).toList())
                    .as("records left; cleanup: %s", cleanup.out())
                    .isEmpty();
        }
    }

    @Test
    void cleanupAfterAKilledJvmRemovesItsMirror() throws Exception {
        killedMirror();
        assertThat(qdiscs()).contains("\"kind\":\"ingress\"");
        assertThat(filters()).contains("mirred");

        Ip.Result cleanup = cleanup();

        assertThat(qdiscs()).as("cleanup: %s", cleanup.out()).doesNotContain("\"kind\":\"ingress\"");
        assertThat(filters()).as("cleanup: %s", cleanup.out()).doesNotContain("mirred");
        assertThat(cleanup.out()).contains("mirror");
        noRecordLeft(cleanup);
    }

    /**
     * The device mirrored to deleted after the kill (the kernel then reports the action's target as
     * ifindex 0), or deleted and made again under its name: the action's cookie proves the filter the
     * mirror's, and the cleanup removes it with the ingress qdisc.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void cleanupRemovesAMirrorWhoseTargetWentAway(boolean madeAgain) throws Exception {
        killedMirror();
        Ip.ok("-n", app, "link", "del", to);
        if (madeAgain) {
            Ip.ok("-n", app, "link", "add", to, "type", "veth", "peer", "name", to + "p");
        }
        assertThat(tc("filter", "show", "dev", from, "ingress")).contains("Egress Mirror to device *");

        Ip.Result cleanup = cleanup();

        assertThat(tc("-j", "qdisc", "show", "dev", from, "ingress"))
                .as("cleanup: %s", cleanup.out())
                .doesNotContain("\"kind\":\"ingress\"");
        assertThat(filters()).as("cleanup: %s", cleanup.out()).doesNotContain("mirred");
        assertThat(cleanup.out()).containsPattern("removed \\[[^\\n]*mirror of device");
        noRecordLeft(cleanup);
    }

    /** A filter someone added to the mirror's ingress qdisc since stays, and the qdisc with it. */
    @Test
    void cleanupLeavesTheIngressQdiscWhenSomeoneElsesFilterIsOnIt() throws Exception {
        killedMirror();
        tc(
                "filter",
                "add",
                "dev",
                from,
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
                other);

        Ip.Result cleanup = cleanup();

        assertThat(qdiscs()).as("cleanup: %s", cleanup.out()).contains("\"kind\":\"ingress\"");
        String left = filters();
        assertThat(left).as("cleanup: %s", cleanup.out()).contains("\"pref\":7").doesNotContain("\"pref\":1,");
        assertThat(tc("filter", "show", "dev", from, "ingress"))
                .contains("to device " + other + ")")
                .doesNotContain("to device " + to + ")");
        noRecordLeft(cleanup);
    }

    /**
     * The mirror's ingress qdisc deleted since, and someone's of their own put there (with a mirred
     * filter to another device): the cleanup leaves theirs.
     */
    @Test
    void cleanupLeavesAnIngressQdiscThatIsNotTheMirrors() throws Exception {
        killedMirror();
        tc("qdisc", "del", "dev", from, "ingress");
        tc("qdisc", "add", "dev", from, "ingress");
        tc(
                "filter",
                "add",
                "dev",
                from,
                "parent",
                "ffff:",
                "protocol",
                "all",
                "prio",
                "1",
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
                other);

        Ip.Result cleanup = cleanup();

        assertThat(qdiscs()).as("cleanup: %s", cleanup.out()).contains("\"kind\":\"ingress\"");
        assertThat(tc("filter", "show", "dev", from, "ingress")).contains("to device " + other + ")");
        noRecordLeft(cleanup);
    }

    /** A mirror healed before the kill is noted as over: an ingress qdisc the script added since stays. */
    @Test
    void cleanupAfterAKilledJvmLeavesWhatItsHealedMirrorHadAlone() throws Exception {
        killedMirror("healed");
        assertThat(qdiscs()).doesNotContain("\"kind\":\"ingress\"");
        tc("qdisc", "add", "dev", from, "ingress");
        tc(
                "filter",
                "add",
                "dev",
                from,
                "parent",
                "ffff:",
                "protocol",
                "all",
                "prio",
                "1",
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
                to);

        Ip.Result cleanup = cleanup();

        assertThat(qdiscs()).as("cleanup: %s", cleanup.out()).contains("\"kind\":\"ingress\"");
        assertThat(filters()).as("cleanup: %s", cleanup.out()).contains("mirred");
        noRecordLeft(cleanup);
    }
}
