package io.github.netvirt.faults.impair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.Link;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.tap.impair.Impairment;
import org.junit.jupiter.api.Test;

/**
 * The two endpoints of an {@link ImpairedLink} join one segment: an IPv4 address on one end and an
 * IPv6 address on the other, or one address on both, are refused before anything is made, naming
 * them. Both were taken, giving a link that carries nothing (helper C's audit, s46).
 */
@RequiresRoot
class MismatchedEndpointAddressesTest {
    @Test
    void anIpv4AndAnIpv6EndAreRefusedBeforeAnyTap() {
        try (NetNamespace a = NetNamespace.ephemeral();
                NetNamespace b = NetNamespace.ephemeral()) {
            assertThatThrownBy(() -> ImpairedLink.open(
                            Endpoint.of(a, "mEa", ImpairedLinkTest.addr("10.46.0.1"), 24),
                            Endpoint.of(b, "mEb", ImpairedLinkTest.addr("fd00:46::2"), 64),
                            Impairment.none(),
                            1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("10.46.0.1")
                    .hasMessageContaining("fd00");
            assertThat(names(a)).containsExactly("lo");
            assertThat(names(b)).containsExactly("lo");
        }
    }

    @Test
    void oneAddressOnBothEndsIsRefusedBeforeAnyTap() {
        try (NetNamespace a = NetNamespace.ephemeral();
                NetNamespace b = NetNamespace.ephemeral()) {
            assertThatThrownBy(() -> ImpairedLink.open(
                            Endpoint.of(a, "mEa", ImpairedLinkTest.addr("10.46.0.1"), 24),
                            Endpoint.of(b, "mEb", ImpairedLinkTest.addr("10.46.0.1"), 24),
                            Impairment.none(),
                            1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("10.46.0.1");
            assertThat(names(a)).containsExactly("lo");
            assertThat(names(b)).containsExactly("lo");
        }
    }

    private static java.util.List<String> names(NetNamespace ns) {
        try (NetlinkHandle h = NetlinkHandle.open(ns)) {
            return h.linkList().stream().map(Link::name).toList();
        }
    }
}
