package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IpPrefixTest {
    @Test
    void equalWhenAddressAndLengthAre() {
        IpPrefix a = IpPrefix.parse("10.0.1.1/24");
        assertThat(a).isEqualTo(IpPrefix.parse(" 10.0.1.1/24 ")).hasSameHashCodeAs(IpPrefix.parse("10.0.1.1/24"));
        assertThat(a).isNotEqualTo(IpPrefix.parse("10.0.1.1/25"));
        assertThat(a).isNotEqualTo(IpPrefix.parse("10.0.1.2/24"));
        assertThat(a).isNotEqualTo(null).isNotEqualTo("10.0.1.1/24");
        assertThat(IpPrefix.parse("fd00::1/64")).isEqualTo(IpPrefix.parse("fd00:0::1/64"));
    }

    @Test
    void numbersAreOneToThreeDigits() {
        assertThat(IpPrefix.parse("1.2.3.4")).isEqualTo(IpPrefix.parse("1.2.3.4/32"));
        assertThat(IpPrefix.parse("001.002.003.004/008").prefixLength()).isEqualTo(8);
        for (String bad : new String[] {
            "1.2.3.4/",
            "1.2.3.4/1a",
            "1.2.3.4/0032",
            "1..3.4/8",
            "1.2.3.x/8",
            "1.2.3.1234",
            "1.2.3.\u0664/8",
            "1.2.3.4/\u0668"
        }) {
            assertThatThrownBy(() -> IpPrefix.parse(bad), bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
