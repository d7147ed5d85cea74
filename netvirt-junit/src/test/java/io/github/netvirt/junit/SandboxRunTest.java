package io.github.netvirt.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.Sandboxed;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Tests without root: the way there is shown, and a netvirt-junit test class runs there as nobody. */
class SandboxRunTest {
    @Test
    @RequiresRoot
    void withoutPrivilegesTheFailureShowsTheLauncherAndTheSurefireSnippet() {
        String failed = FailureTest.runUnprivileged(FailureTest.NeedsRoot.class);
        assertThat(failed)
                .contains("containersFailed=1")
                .contains("bin/netvirt-run mvn -o test")
                .contains("<jvm>${maven.multiModuleProjectDirectory}/bin/sandbox-jvm/bin/java</jvm>");
    }

    @Test
    @RequiresRoot
    void theReadmeExampleRunsAsNobodyThroughTheLauncher() {
        Ip.Result r = Sandboxed.javaAsNobody(LaunchInner.class.getName(), ReadmeExampleTest.class.getName())
                .ok();
        // every test of the README's class (the network example and the fault schedule) passes
        int tests = (int) Arrays.stream(ReadmeExampleTest.class.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(Test.class))
                .count();
        assertThat(r.out())
                .as(r.err())
                .contains("started=" + tests + " failed=0 containersFailed=0 containersAborted=0");
        assertThat(r.err()).contains("netvirt runs in a user-namespace sandbox (0 65534 1)");
    }

    @Test
    @RequiresRoot
    void aTapTestSkipsAsNobodyInTheSandboxWhenDevNetTunIsClosedToOthers() throws Exception {
        Sandboxed.assertByDevNetTunMode(
                Sandboxed.javaAsNobody(SandboxTapSkips.class.getName()).ok().out(),
                out -> out.contains("result opensATap(): SUCCESSFUL"),
                out -> out.contains("result opensATap(): ABORTED SKIPPED: "
                        + "TAP is not available in this user-namespace sandbox: /dev/net/tun is mode 0600"));
    }
}
