package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.Sandboxed;
import org.junit.jupiter.api.Test;

/**
 * util-linux mount refuses a real uid other than 0 only when it runs set-uid. With no_new_privs
 * (systemd's NoNewPrivileges=, a container's no-new-privileges) its set-uid bit is ignored: it runs as
 * the user, with the user's capabilities, and mounts. A child JVM runs as nobody with CAP_NET_ADMIN and
 * CAP_SYS_ADMIN ambient and no_new_privs: exec() runs the command.
 */
@RequiresRoot
class StartWithoutSetuidMountTest {
    @Test
    void execRunsTheCommandAsAUserWithTheCapabilitiesAndNoNewPrivs() {
        Ip.Result r = Sandboxed.javaAsNobodyWithCapabilitiesAndNoNewPrivs(
                "+net_admin,+sys_admin", StartWithoutRealRootTest.Child.class.getName());
        assertThat(r.out())
                .as(r.out() + r.err())
                .contains("RAN ")
                .contains("exitCode=0")
                .doesNotContain("THROWN");
    }
}
