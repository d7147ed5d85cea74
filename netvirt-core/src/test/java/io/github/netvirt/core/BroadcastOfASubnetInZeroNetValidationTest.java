package io.github.netvirt.core;

import static io.github.netvirt.core.ValidationTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * An IPv4 subnet in 0.0.0.0/8 whose network is not 0.0.0.0 has a broadcast address: the kernel
 * (6.18, {@code ipv4_is_zeronet} is {@code addr == 0} since 2019) routes {@code 0.1.255.255} as
 * {@code broadcast} for {@code 0.1.0.1/16}, and refuses it as a gateway ("Nexthop has invalid gateway").
 * Only a subnet whose network is 0.0.0.0 ({@code 0.255.255.255/8}) gets no route, broadcast or other.
 */
class BroadcastOfASubnetInZeroNetValidationTest {

    private static TopologyBuilder oneDevice() {
        return Topology.create().ns("a").bridge("br");
    }

    @Test
    void itsBroadcastAddressIsRefusedOnADevice() {
        assertThat(problems(() -> oneDevice().addr("0.1.255.255/16")))
                .singleElement()
                .asString()
                .contains("0.1.255.255 is the broadcast address of 0.1.0.0/16");
    }

    @Test
    void itsBroadcastAddressIsRefusedAsAGateway() {
        assertThat(problems(() -> oneDevice().addr("0.1.0.1/16").route("10.9.0.0/16", "0.1.255.255")))
                .singleElement()
                .asString()
                .contains("gateway 0.1.255.255 is the broadcast address of 0.1.0.1/16");
    }

    @Test
    void aSubnetWhoseNetworkIsZeroHasNone() {
        assertThat(oneDevice().addr("0.255.255.255/8").spec().device("a", "br").addresses())
                .hasSize(1);
    }
}
