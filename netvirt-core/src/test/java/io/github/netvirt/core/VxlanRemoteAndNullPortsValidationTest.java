package io.github.netvirt.core;

import static io.github.netvirt.core.ValidationTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A vxlan's remote is a unicast peer, and ports((String[]) null) is a problem naming the call. */
class VxlanRemoteAndNullPortsValidationTest {

    private static TopologyBuilder vxlanTo(String remote) {
        return Topology.create().ns("a").vxlan("vx", 5).remote(remote);
    }

    @Test
    void aRemoteThatIsNoUnicastPeerIsRefused() {
        assertThat(problems(() -> vxlanTo("0.0.0.0")))
                .containsExactly(
                        "device a/vx: remote 0.0.0.0 is the unspecified address: the kernel would make the vxlan"
                                + " without a remote address (for that, give no remote(...))");
        assertThat(problems(() -> vxlanTo("::")))
                .containsExactly("device a/vx: remote :: is the unspecified address: the kernel would make the vxlan"
                        + " without a remote address (for that, give no remote(...))");
        assertThat(problems(() -> vxlanTo("255.255.255.255")))
                .containsExactly(
                        "device a/vx: remote 255.255.255.255 is the limited broadcast address, not a unicast" + " one");
        assertThat(problems(() -> vxlanTo("127.0.0.1")))
                .containsExactly(
                        "device a/vx: remote 127.0.0.1 is a loopback address: no peer on another host answers it");
        assertThat(problems(() -> vxlanTo("::1")))
                .containsExactly("device a/vx: remote ::1 is a loopback address: no peer on another host answers it");
        assertThat(vxlanTo("10.0.0.2").spec().namespace("a").devices()).hasSize(1);
    }

    @Test
    void nullPortsIsAProblemNamingTheCall() {
        assertThat(problems(() -> Topology.create().ns("a").bridge("b").ports((String[]) null)))
                .containsExactly("a/b: ports(null): which devices?");
    }
}
