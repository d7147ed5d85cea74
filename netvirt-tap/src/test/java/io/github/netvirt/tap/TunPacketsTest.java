package io.github.netvirt.tap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.AddressSpec;
import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netlink.Sysctls;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.tap.packet.EthernetHeader;
import io.github.netvirt.tap.packet.IcmpEchoBuilder;
import io.github.netvirt.tap.packet.IcmpHeader;
import io.github.netvirt.tap.packet.Ipv4Address;
import io.github.netvirt.tap.packet.Ipv4Header;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A TUN device carries bare IP packets: the kernel answers an ICMP echo written into it. */
@RequiresRoot
class TunPacketsTest {
    @Test
    void kernelAnswersAnEchoWrittenIntoATun() throws Exception {
        int local = Ipv4Address.parse("10.78.0.1");
        int peer = Ipv4Address.parse("10.78.0.2");
        try (NetNamespace ns = NetNamespace.ephemeral();
                TapDevice tun = TapDevice.tun("tpt%d")
                        .readTimeout(Duration.ofSeconds(3))
                        .open(ns)) {
            Sysctls.of(ns).set("ipv6/conf/default/disable_ipv6", "1");
            try (NetlinkHandle h = NetlinkHandle.open(ns)) {
                h.addrAdd(AddressSpec.of(tun.name(), IpPrefix.parse("10.78.0.1/32"))
                        .peer(IpPrefix.parseAddress("10.78.0.2")));
            }
            tun.up();
            assertThatThrownBy(() -> tun.write(new byte[0], 0, 0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at least 1");

            ByteBuffer frame = ByteBuffer.allocate(200);
            byte[] payload = "tun echo".getBytes();
            int n = IcmpEchoBuilder.request(frame, 0, 0, peer, local, 0x7475, 1, payload, 0, payload.length);
            // a TUN takes the IP packet alone: skip the Ethernet header the builder wrote
            frame.limit(n).position(EthernetHeader.LENGTH);
            assertThat(tun.write(frame)).isEqualTo(n - EthernetHeader.LENGTH);

            ByteBuffer in = ByteBuffer.allocate(2048);
            Ipv4Header ip = new Ipv4Header();
            IcmpHeader icmp = new IcmpHeader();
            for (int i = 0; i < 20; i++) {
                in.clear();
                tun.read(in);
                in.flip();
                if ((in.get(0) & 0xf0) != 0x40) {
                    continue;
                }
                ip.wrap(in, 0);
                if (ip.protocol() != Ipv4Header.PROTO_ICMP) {
                    continue;
                }
                icmp.wrap(in, ip.payloadOffset());
                if (icmp.type() == IcmpHeader.ECHO_REPLY) {
                    assertThat(ip.source()).isEqualTo(local);
                    assertThat(ip.destination()).isEqualTo(peer);
                    assertThat(icmp.identifier()).isEqualTo(0x7475);
                    assertThat(icmp.checksumValid(ip.payloadLength())).isTrue();
                    return;
                }
            }
            throw new AssertionError("no echo reply from the kernel");
        }
    }
}
