package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

    /** What the child printed, run with the capability bounding set {@code cap} alone. */
    private String child(String cap, String prefix) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--inh-caps=-all", "--bounding-set=-all,+" + cap));
        cmd.addAll(ChildJvm.of(runDir, MissingCapabilityChild.class, prefix).command());
        Process pr = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        pr.getOutputStream().close();
        String out = new String(pr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(pr.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
