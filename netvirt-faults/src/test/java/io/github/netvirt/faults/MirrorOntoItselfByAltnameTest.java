package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.Test;

/**
 * PortMirror refuses to mirror a device onto itself, but compares the names it was given: an
 * alternative name of the device ({@code ip link property add dev D altname A}, Linux 5.5) is
 * looked up by the kernel as the device itself, so the mirror is installed onto its own device.
 */
@RequiresRoot
class MirrorOntoItselfByAltnameTest {

    @Test
    void aDeviceGivenByItsAltnameIsTheSameDevice() {
        String n = TestNames.unique("hF");
        try (NetNamespace ns = NetNamespace.create(n)) {
            try {
                Ip.ok("-n", n, "link", "add", "hFa", "type", "veth", "peer", "name", "hFb");
                assumeTrue(
                        Ip.run("-n", n, "link", "property", "add", "dev", "hFa", "altname", "hFalt")
                                        .exitCode()
                                == 0,
                        "this kernel has no alternative interface names");
                assertThatThrownBy(() -> PortMirror.ingress(ns, "hFa", "hFalt"))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("onto itself");
                assertThat(RateLimitTest.tc("-n", n, "qdisc", "show", "dev", "hFa"))
                        .doesNotContain("ingress");
            } finally {
                NetNamespace.delete(n);
            }
        }
    }
}
