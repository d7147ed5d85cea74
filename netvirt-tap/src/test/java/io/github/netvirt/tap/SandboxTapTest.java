package io.github.netvirt.tap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.Sandboxed;
import org.junit.jupiter.api.Test;

/**
 * TAP in a user-namespace sandbox: the sandbox has CAP_NET_ADMIN over its namespaces, but opening
 * {@code /dev/net/tun} is still up to the device file's mode on the machine.
 */
@RequiresRoot // to become nobody
class SandboxTapTest {
    @Test
    void asNobodyInTheSandboxTapWorksExactlyWhenDevNetTunIsOpenToOthers() throws Exception {
        boolean open = Sandboxed.devNetTunOpenToOthers();
        Ip.Result r = Sandboxed.javaAsNobody(SandboxTapProbe.class.getName()).ok();
        if (open) {
            assertThat(r.out()).as("/dev/net/tun is 0666 here").startsWith("opened tp");
        } else {
            assertThat(r.out())
                    .as("/dev/net/tun is 0600 here")
                    .contains(
                            "failed: cannot open /dev/net/tun for tap tp%d in NetNamespace[unnamed, in a user-namespace sandbox]")
                    .contains("EACCES")
                    .contains("with 0600 only the machine's root may open it");
        }
    }
}
