package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
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
    void broadcastIsWhatTheKernelRoutesAsOne() {
        assertThat(IpPrefix.parse("10.0.1.1/24").broadcast()).isEqualTo(IpPrefix.parseAddress("10.0.1.255"));
        assertThat(IpPrefix.parse("10.0.1.1/30").broadcast()).isEqualTo(IpPrefix.parseAddress("10.0.1.3"));
        assertThat(IpPrefix.parse("172.16.5.9/12").broadcast()).isEqualTo(IpPrefix.parseAddress("172.31.255.255"));
        assertThat(IpPrefix.parse("10.0.0.1/7").broadcast()).isEqualTo(IpPrefix.parseAddress("11.255.255.255"));
        assertThat(IpPrefix.parse("10.0.0.1/4").broadcast()).isNull();
        assertThat(IpPrefix.parse("10.0.1.1/31").broadcast()).isNull();
        assertThat(IpPrefix.parse("10.0.1.1/32").broadcast()).isNull();
        assertThat(IpPrefix.parse("0.1.2.3/8").broadcast()).isNull();
        assertThat(IpPrefix.parse("fd00::1/64").broadcast()).isNull();
    }

    @Test
    void aSubnetInZeroNetHasABroadcastUnlessItsNetworkIsZero() {
        // ipv4_is_zeronet is addr == 0 since 2019: 0.1.0.1/16 gets 0.1.0.0/16 and broadcast 0.1.255.255 (6.18)
        assertThat(IpPrefix.parse("0.1.0.1/16").broadcast()).isEqualTo(IpPrefix.parseAddress("0.1.255.255"));
        assertThat(IpPrefix.parse("0.0.1.1/24").broadcast()).isEqualTo(IpPrefix.parseAddress("0.0.1.255"));
        assertThat(IpPrefix.parse("0.255.255.255/8").broadcast()).isNull();
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

    @Test
    void dottedQuadsParseToTheirBytes() throws Exception {
        assertThat(IpPrefix.parse("10.0.1.1/24"))
                .isEqualTo(new IpPrefix(InetAddress.getByAddress(new byte[] {10, 0, 1, 1}), 24));
        assertThat(IpPrefix.parse("255.255.255.255/32").address().getAddress()).containsExactly(0xff, 0xff, 0xff, 0xff);
        assertThat(IpPrefix.parse("0.0.0.0/0")).hasToString("0.0.0.0/0");
        assertThat(IpPrefix.parse("010.000.001.099/07")).hasToString("10.0.1.99/7");
        assertThat(IpPrefix.parse("1.2.3.4")).hasToString("1.2.3.4/32");
        assertThat(IpPrefix.parse("\t1.2.3.4/8 ")).hasToString("1.2.3.4/8");
        assertThat(IpPrefix.parseAddress("192.168.0.1"))
                .isInstanceOf(Inet4Address.class)
                .hasToString("/192.168.0.1");
        assertThat(IpPrefix.parseAddress(" 192.168.0.1 ").getHostAddress()).isEqualTo("192.168.0.1");
        assertThat(IpPrefix.parse("fd00::1/64").isIpv6()).isTrue();
    }

    @Test
    void whitespaceAroundIsTrimmedButWhitespaceInsideIsRefused() {
        assertThat(IpPrefix.parse(" 10.70.0.1/24\t")).hasToString("10.70.0.1/24");
        assertThat(IpPrefix.parse(" fd00::1/64 ")).hasToString("fd00::1/64");
        assertThat(IpPrefix.parseAddress("\tfd00::1 ")).isEqualTo(IpPrefix.parseAddress("fd00::1"));
        for (String bad : new String[] {
            "10.70.0.1 /24",
            "10.70.0.1/ 24",
            "10.70.0.1\t/24",
            "10.70. 0.1/24",
            "fd00::1 /64",
            "fd00:: 1/64",
            "10.70.0.1\u2003/24"
        }) {
            assertThatThrownBy(() -> IpPrefix.parse(bad), bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("malformed address \"" + bad + "\": whitespace inside (iproute2 would read two words)");
        }
        for (String bad : new String[] {"10.70. 0.1", "fd00:: 1", "10.70.0.1 0"}) {
            assertThatThrownBy(() -> IpPrefix.parseAddress(bad), bad)
                    .hasMessage("malformed address \"" + bad + "\": whitespace inside (iproute2 would read two words)");
        }
    }

    @Test
    void badInputKeepsItsMessage() {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("256.1.1.1/8", "malformed IPv4 address \"256.1.1.1\": 256 > 255");
        bad.put("1.2.3.999", "malformed IPv4 address \"1.2.3.999\": 999 > 255");
        bad.put("1.2.3.4/33", "prefix length 33 too long in \"1.2.3.4/33\" (at most 32)");
        bad.put("1.2.3.4/999", "prefix length 999 too long in \"1.2.3.4/999\" (at most 32)");
        bad.put("1.2.3.4/", "malformed prefix length in \"1.2.3.4/\"");
        bad.put("1.2.3.4/-1", "malformed prefix length in \"1.2.3.4/-1\"");
        bad.put("1.2.3.4/8/8", "malformed prefix length in \"1.2.3.4/8/8\"");
        bad.put("1.2.3/8", "malformed IPv4 address \"1.2.3\"");
        bad.put("1.2.3.4.5/8", "malformed IPv4 address \"1.2.3.4.5\"");
        bad.put(".1.2.3/8", "malformed IPv4 address \".1.2.3\"");
        bad.put("1.2.3./8", "malformed IPv4 address \"1.2.3.\"");
        bad.put("0001.2.3.4", "malformed IPv4 address \"0001.2.3.4\"");
        bad.put("/8", "empty IP address");
        bad.put("fd00::1/129", "prefix length 129 too long in \"fd00::1/129\" (at most 128)");
        bad.put("fd00::g/64", "malformed IPv6 address \"fd00::g\"");
        bad.put("::ffff:1.2.3.4/120", "IPv4-mapped address \"::ffff:1.2.3.4\": write it as IPv4");
        bad.forEach((text, message) -> assertThatThrownBy(() -> IpPrefix.parse(text), text)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message));
        assertThatThrownBy(() -> IpPrefix.parse("1.2.3.4 /8"))
                .hasMessage("malformed address \"1.2.3.4 /8\": whitespace inside (iproute2 would read two words)");
        assertThatThrownBy(() -> IpPrefix.parseAddress("1.2.3.4/8")).hasMessage("malformed IPv4 address \"1.2.3.4/8\"");
        assertThatThrownBy(() -> IpPrefix.parseAddress("1.2.3.256"))
                .hasMessage("malformed IPv4 address \"1.2.3.256\": 256 > 255");
    }
}
