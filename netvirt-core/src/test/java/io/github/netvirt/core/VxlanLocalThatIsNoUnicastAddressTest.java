package io.github.netvirt.core;

import static io.github.netvirt.core.ValidationTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A vxlan's local address is a unicast one of this host, as {@link TopologyBuilder#local} promises:
 * the kernel takes the unspecified address as no local address at all, and takes IPv4's limited
 * broadcast and a loopback address as the source of every packet, which no peer answers.
 */
class VxlanLocalThatIsNoUnicastAddressTest {

    private static TopologyBuilder vxlanFrom(String local, String remote) {
        return Topology.create().ns("a").vxlan("vx", 5).remote(remote).local(local);
    }

    @Test
    void theUnspecifiedAddressIsRefused() {
        assertThat(problems(() -> vxlanFrom("0.0.0.0", "10.0.0.2")))
                .containsExactly("device a/vx: local 0.0.0.0 is the unspecified address: the kernel would make the"
                        + " vxlan without a local address (for that, give no local(...))");
        assertThat(problems(() -> vxlanFrom("::", "fd00::2")))
                .containsExactly("device a/vx: local :: is the unspecified address: the kernel would make the"
                        + " vxlan without a local address (for that, give no local(...))");
    }

    @Test
    void theLimitedBroadcastAddressIsRefused() {
        assertThat(problems(() -> vxlanFrom("255.255.255.255", "10.0.0.2")))
                .containsExactly(
                        "device a/vx: local 255.255.255.255 is the limited broadcast address, not a" + " unicast one");
    }

    @Test
    void aLoopbackAddressIsRefused() {
        assertThat(problems(() -> vxlanFrom("127.0.0.1", "10.0.0.2")))
                .containsExactly(
                        "device a/vx: local 127.0.0.1 is a loopback address: no peer on another host" + " answers it");
        assertThat(problems(() -> vxlanFrom("::1", "fd00::2")))
                .containsExactly("device a/vx: local ::1 is a loopback address: no peer on another host answers it");
    }

    @Test
    void aUnicastLocalAddressIsTaken() {
        assertThat(vxlanFrom("10.0.0.1", "10.0.0.2").spec().namespace("a").devices())
                .hasSize(1);
    }
}
