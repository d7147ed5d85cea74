package io.github.netvirt.tap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netlink.Sysctls;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.tap.packet.ArpBuilder;
import io.github.netvirt.tap.packet.ArpPacket;
import io.github.netvirt.tap.packet.FrameView;
import io.github.netvirt.tap.packet.IcmpEchoBuilder;
import io.github.netvirt.tap.packet.IcmpHeader;
import io.github.netvirt.tap.packet.Ipv4Address;
import io.github.netvirt.tap.pcap.PcapWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The kernel, behind a TAP with an address, answers ARP and ICMP echo written into the TAP. */
@RequiresRoot
class KernelAnswersTest {
    static final long PEER_MAC = 0x0270740000aaL;
    static final int TAP_IP = Ipv4Address.parse("10.77.0.1");
    static final int PEER_IP = Ipv4Address.parse("10.77.0.2");

    private NetNamespace ns;
    private TapDevice tap;
    private long tapMac;
    private final ByteBuffer out = ByteBuffer.allocateDirect(2048);
    private final ByteBuffer in = ByteBuffer.allocateDirect(TapDevice.MAX_FRAME);
    private final FrameView view = new FrameView();
    /** Every frame written and read, when a test wants a capture. */
    PcapWriter pcap;
    /** The same frames, in the same order, when a test wants them. */
    List<byte[]> recorded;

    @BeforeEach
    void tapWithAnAddress() {
        ns = NetNamespace.ephemeral();
        try {
            Sysctls.of(ns).set("ipv6/conf/default/disable_ipv6", "1");
            tap = TapDevice.tap("tpk%d").readTimeout(Duration.ofSeconds(3)).open(ns);
            try (NetlinkHandle h = NetlinkHandle.open(ns)) {
                h.addrAdd(tap.name(), IpPrefix.parse("10.77.0.1/24"));
            }
            tap.up();
            tapMac = tap.link().mac().bits();
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    @AfterEach
    void close() {
        tap.close();
        ns.close();
    }

    @Test
    void kernelAnswersAnArpRequest() throws IOException {
        arpExchange();
    }

    @Test
    void kernelAnswersIcmpEcho() throws IOException {
        arpExchange();
        for (int seq = 1; seq <= 3; seq++) {
            echoExchange(seq);
        }
    }

    void arpExchange() throws IOException {
        out.clear();
        ArpBuilder.request(out, PEER_MAC, PEER_IP, TAP_IP);
        send();
        receiveUntil(v -> v.hasArp() && v.arp().operation() == ArpPacket.REPLY);
        ArpPacket reply = view.arp();
        assertThat(reply.isEthernetIpv4()).isTrue();
        assertThat(reply.senderIp()).isEqualTo(TAP_IP);
        assertThat(reply.senderMac()).as("the tap's own MAC").isEqualTo(tapMac);
        assertThat(reply.targetIp()).isEqualTo(PEER_IP);
        assertThat(reply.targetMac()).isEqualTo(PEER_MAC);
        assertThat(view.ethernet().destination()).isEqualTo(PEER_MAC);
        assertThat(view.ethernet().source()).isEqualTo(tapMac);
    }

    void echoExchange(int seq) throws IOException {
        byte[] payload = ("netvirt-tap echo " + seq).getBytes();
        out.clear();
        IcmpEchoBuilder.request(out, PEER_MAC, tapMac, PEER_IP, TAP_IP, 0x7470, seq, payload, 0, payload.length);
        send();
        receiveUntil(v -> {
            if (v.hasArp()
                    && v.arp().operation() == ArpPacket.REQUEST
                    && v.arp().targetIp() == PEER_IP) {
                answerArp(); // the kernel may ask who we are before it replies
                return false;
            }
            return v.hasIcmp() && v.icmp().type() == IcmpHeader.ECHO_REPLY;
        });
        assertThat(view.ipv4().source()).isEqualTo(TAP_IP);
        assertThat(view.ipv4().destination()).isEqualTo(PEER_IP);
        assertThat(view.ipv4().checksumValid()).isTrue();
        IcmpHeader icmp = view.icmp();
        assertThat(icmp.identifier()).isEqualTo(0x7470);
        assertThat(icmp.sequence()).isEqualTo(seq);
        assertThat(icmp.checksumValid(view.ipv4().payloadLength())).isTrue();
        byte[] echoed = new byte[payload.length];
        in.get(icmp.payloadOffset(), echoed);
        assertThat(echoed).isEqualTo(payload);
    }

    private void answerArp() {
        try {
            ByteBuffer b = ByteBuffer.allocateDirect(64);
            ArpBuilder.reply(b, PEER_MAC, PEER_IP, tapMac, TAP_IP);
            b.flip();
            record(b);
            tap.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void send() throws IOException {
        out.flip();
        record(out);
        tap.write(out);
    }

    private void receiveUntil(Predicate<FrameView> wanted) throws IOException {
        for (int i = 0; i < 100; i++) {
            in.clear();
            int n = tap.read(in);
            assertThat(n).isEqualTo(in.position());
            in.flip();
            record(in);
            if (view.parse(in) && wanted.test(view)) {
                return;
            }
        }
        throw new AssertionError("the expected frame never came");
    }

    private void record(ByteBuffer frame) throws IOException {
        if (recorded != null) {
            byte[] copy = new byte[frame.remaining()];
            frame.duplicate().get(copy);
            recorded.add(copy);
        }
        if (pcap != null) {
            pcap.write(frame);
        }
    }
}
