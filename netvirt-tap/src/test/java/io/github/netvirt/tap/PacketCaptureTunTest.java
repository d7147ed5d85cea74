package io.github.netvirt.tap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netlink.AddressSpec;
import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netlink.Sysctls;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.tap.packet.EthernetHeader;
import io.github.netvirt.tap.packet.IcmpEchoBuilder;
import io.github.netvirt.tap.packet.Ipv4Address;
import io.github.netvirt.tap.pcap.LinkType;
import io.github.netvirt.tap.pcap.PcapReader;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A capture of a TUN device (no link-layer header) is a raw-IP pcap file, not an Ethernet one. */
@RequiresRoot
class PacketCaptureTunTest {
    @TempDir
    Path dir;

    @Test
    void aTunCaptureIsRawIp() throws Exception {
        int local = Ipv4Address.parse("10.78.0.1");
        int peer = Ipv4Address.parse("10.78.0.2");
        Path file = dir.resolve("tun.pcap");
        try (NetNamespace ns = NetNamespace.ephemeral();
                TapDevice tun = TapDevice.tun("hacap%d")
                        .readTimeout(Duration.ofSeconds(3))
                        .open(ns)) {
            // the tun exists before this: "default" no longer reaches it, and an IPv6 router
            // solicitation sent at up() would be the capture's first packet
            Sysctls.of(ns).set("ipv6/conf/" + tun.name() + "/disable_ipv6", "1");
            try (NetlinkHandle h = NetlinkHandle.open(ns)) {
                h.addrAdd(AddressSpec.of(tun.name(), IpPrefix.parse("10.78.0.1/32"))
                        .peer(IpPrefix.parseAddress("10.78.0.2")));
            }
            tun.up();
            try (PacketCapture c = PacketCapture.start(ns, tun.name(), file)) {
                ByteBuffer frame = ByteBuffer.allocate(200);
                byte[] payload = "tun echo".getBytes();
                int n = IcmpEchoBuilder.request(frame, 0, 0, peer, local, 0x7475, 1, payload, 0, payload.length);
                frame.limit(n).position(EthernetHeader.LENGTH);
                tun.write(frame);
                tun.read(ByteBuffer.allocate(2048)); // the reply has crossed the device
            }
        }
        try (PcapReader r = PcapReader.open(file)) {
            assertThat(r.linkType()).as("link type").isEqualTo(LinkType.RAW.code());
            ByteBuffer dst = ByteBuffer.allocate(1 << 18);
            assertThat(r.next(dst)).isPositive();
            assertThat(dst.get(0) & 0xf0).as("an IPv4 header first").isEqualTo(0x40);
        }
    }
}
