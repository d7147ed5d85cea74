package io.github.netvirt.tap;

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
        Sandboxed.assertByDevNetTunMode(
                Sandboxed.javaAsNobody(SandboxTapProbe.class.getName()).ok().out(),
                out -> out.startsWith("opened tp"),
                out -> out.contains(
                                "failed: cannot open /dev/net/tun for tap tp%d in NetNamespace[unnamed, in a user-namespace sandbox]")
                        .contains("EACCES")
                        .contains("with 0600 only the machine's root may open it"));
    }
}
