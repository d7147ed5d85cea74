package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.RequiresRoot;
import org.junit.jupiter.api.Test;

/**
 * A MAC no device can carry (all zeros, or multicast: the kernel's {@code is_valid_ether_addr}) is
 * refused before the request goes, naming it, by {@code linkSetMac} as by a spec's {@code mac()}: the
 * all-zero one got the kernel's EADDRNOTAVAIL from both, a multicast one from {@code linkSetMac}, and
 * a batch took a null MAC until {@code execute()} (helper C's audit, s46).
 */
@RequiresRoot
class LinkAddressNoDeviceCanHaveTest extends OneNamespace {
    private static final MacAddress ZERO = MacAddress.parse("00:00:00:00:00:00");
    private static final MacAddress MULTICAST = MacAddress.parse("01:00:5e:00:00:01");

    @Test
    void aSpecWithTheZeroMacIsRefused() {
        assertThatThrownBy(() -> LinkSpec.bridge("br0").mac(ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("00:00:00:00:00:00");
        assertThatThrownBy(() -> LinkSpec.veth("v0", "v1").peerMac(ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("00:00:00:00:00:00");
    }

    @Test
    void linkSetMacRefusesWhatNoDeviceCanCarry() {
        h.linkAdd(LinkSpec.bridge("br0"));
        MacAddress before = h.link("br0").mac();
        for (MacAddress mac : new MacAddress[] {ZERO, MULTICAST}) {
            assertThatThrownBy(() -> h.linkSetMac("br0", mac))
                    .as(mac.toString())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(mac.toString());
            assertThatThrownBy(() -> h.batch().linkSetMac("br0", mac))
                    .as(mac.toString())
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> h.batch().linkSetMac("br0", null)).isInstanceOf(NullPointerException.class);
        assertThat(h.link("br0").mac()).isEqualTo(before);
    }
}
