package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Without one of the two capabilities netvirt needs, apply() fails as its javadoc says: an
 * ApplyException naming its first step, with the "needs root" hint, nothing made; and a named
 * topology's namespaces are not called ephemeral. A child JVM runs as root with a capability
 * bounding set of CAP_NET_ADMIN alone (setns and unshare need CAP_SYS_ADMIN), or CAP_SYS_ADMIN alone
 * (bringing lo up needs CAP_NET_ADMIN).
 */
@RequiresRoot
class MissingCapabilityTest {
    private final String p = TestNames.unique("ge") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    private final String q = TestNames.unique("gn") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanupQ = DeleteNetnsAfter.prefixed(q);

    private Path runDir;

    @BeforeEach
    void runDir() throws Exception {
        runDir = Files.createTempDirectory("ge-run");
    }

    @AfterEach
    void removeRunDir() throws Exception {
        try (var s = Files.list(runDir)) {
            for (Path f : s.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(runDir);
    }

    @Test
    void withCapNetAdminAloneApplyThrowsApplyException() throws Exception {
        for (String prefix : List.of("-", p)) {
            String out = child("net_admin", prefix);
            assertThat(out)
                    .as(out)
                    .contains("THROWN " + ApplyException.class.getName())
                    .contains("EPERM")
                    .contains("needs root or CAP_NET_ADMIN and CAP_SYS_ADMIN");
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    /**
     * A device in the root namespace (whose cookie the crash record holds) and an adopted namespace
     * (whose cookie is compared with the root's and recorded): reading a cookie enters the namespace,
     * which needs CAP_SYS_ADMIN.
     */
    @Test
    void withCapNetAdminAloneRootDevicesAndAdoptionsFailAsApplyException() throws Exception {
        String rootDev = q + "r0";
        String foreign = q + "foreign";
        Ip.ok("netns", "add", foreign);
        // a process with the child's capabilities alone in it: the child may open its /proc/PID/ns/net
        Process holder = new ProcessBuilder(
                        "ip",
                        "netns",
                        "exec",
                        foreign,
                        "setpriv",
                        "--inh-caps=-all",
                        "--bounding-set=-all,+net_admin",
                        "sleep",
                        "120")
                .start();
        try {
            String foreignLinks = Ip.ok("-j", "-n", foreign, "link");
            SoftAssertions softly = new SoftAssertions();
            for (String where : List.of("root:" + rootDev, "netns:" + foreign, "pid:" + holder.pid())) {
                for (String prefix : List.of("-", q)) {
                    String out = child("net_admin", prefix, where);
                    String what = where + " " + prefix + ": " + out;
                    softly.assertThat(out)
                            .as(what)
                            .contains("THROWN " + ApplyException.class.getName())
                            .contains("EPERM")
                            .contains("needs root or CAP_NET_ADMIN and CAP_SYS_ADMIN");
                    softly.assertThat(Ip.ok("-j", "link")).as(what).doesNotContain(rootDev);
                    softly.assertThat(Ip.ok("-j", "-n", foreign, "link"))
                            .as(what)
                            .isEqualTo(foreignLinks);
                    softly.assertThat(Reference.namespaces(q)).as(what).containsExactly(foreign);
                    try (var s = Files.list(runDir)) {
                        // no crash record; .lock is the cleaner's (the reaper's first cleanup makes it)
                        softly.assertThat(s.map(f -> f.getFileName().toString())
                                        .filter(n -> !n.equals(".lock"))
                                        .toList())
                                .as(what + ": the run directory")
                                .isEmpty();
                    }
                }
            }
            softly.assertAll();
        } finally {
            holder.destroy();
            holder.waitFor();
            Ip.run("link", "del", rootDev);
        }
    }

    @Test
    void aNamedTopologysNamespacesAreNotCalledEphemeral() throws Exception {
        String out = child("sys_admin", p);
        assertThat(out)
                .as(out)
                .contains("THROWN " + ApplyException.class.getName())
                .contains("cannot create 2 network namespaces: EPERM")
                .doesNotContain("ephemeral");
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    /** What the child printed, run with {@code args} and the capability bounding set {@code cap} alone. */
    private String child(String cap, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--inh-caps=-all", "--bounding-set=-all,+" + cap));
        cmd.addAll(ChildJvm.of(runDir, MissingCapabilityChild.class, args).command());
        Process pr = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        pr.getOutputStream().close();
        String out = new String(pr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(pr.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
