package io.github.netvirt.tap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.netlink.LinkSpec;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netlink.Sysctls;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.sys.SyscallException;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.tap.packet.ArpPacket;
import io.github.netvirt.tap.packet.FrameView;
import io.github.netvirt.tap.packet.IcmpHeader;
import io.github.netvirt.tap.packet.Ipv4Address;
import io.github.netvirt.tap.packet.TcpHeader;
import io.github.netvirt.tap.pcap.LinkType;
import io.github.netvirt.tap.pcap.PcapReader;
import io.github.netvirt.tap.testing.PcapFrames;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link PacketCapture} of one veth end while the kernel talks across it (ARP, ICMP echo, a TCP
 * handshake), read back with PcapReader: both directions, with the addresses of both ends.
 */
@RequiresRoot
class PacketCaptureTest {
    static final int A = Ipv4Address.parse("10.78.0.1");
    static final int B = Ipv4Address.parse("10.78.0.2");

    private NetNamespace a;
    private NetNamespace b;

    @TempDir
    Path dir;

    @BeforeEach
    void vethBetweenTwoNamespaces() {
        a = NetNamespace.ephemeral();
        b = NetNamespace.ephemeral();
        try {
            Sysctls.of(a).set("ipv6/conf/default/disable_ipv6", "1");
            Sysctls.of(b).set("ipv6/conf/default/disable_ipv6", "1");
            try (NetlinkHandle ha = NetlinkHandle.open(a);
                    NetlinkHandle hb = NetlinkHandle.open(b)) {
                ha.linkAdd(LinkSpec.veth("va", "vb").peerNetns(b).bothUp());
                ha.addrAdd("va", IpPrefix.parse("10.78.0.1/24"));
                hb.addrAdd("vb", IpPrefix.parse("10.78.0.2/24"));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    @Test
    void arpIcmpAndATcpHandshakeAreCapturedInBothDirections() throws Exception {
        Path file = dir.resolve("va.pcap");
        int port;
        long written;
        long before = System.currentTimeMillis() * 1_000_000L;
        try (PacketCapture c = PacketCapture.start(a, "va", file);
                ServerSocket server = b.serverSocketFactory().createServerSocket(0)) {
            port = server.getLocalPort();
            assertThat(ping()).isTrue();
            try (Socket s = a.socketFactory().createSocket()) {
                s.connect(new InetSocketAddress("10.78.0.2", port), 2000);
                server.accept().close();
            }
            c.close();
            written = c.frameCount();
            assertThat(c.dropCount()).isZero();
            c.close(); // idempotent
        }
        long after = (System.currentTimeMillis() + 1) * 1_000_000L;
        List<String> frames = read(file);
        assertThat(frames).hasSize((int) written);
        try (PcapReader r = PcapReader.open(file)) {
            ByteBuffer b = ByteBuffer.allocate(1 << 18);
            while (r.next(b.clear()) >= 0) {
                assertThat(r.epochNanos()).isBetween(before, after);
            }
        }
        assertThat(frames)
                .containsSubsequence(
                        "arp request " + Ipv4Address.format(A) + " asks " + Ipv4Address.format(B),
                        "arp reply " + Ipv4Address.format(B) + " to " + Ipv4Address.format(A));
        assertThat(frames)
                .containsSubsequence(
                        "icmp 8 10.78.0.1 > 10.78.0.2",
                        "icmp 0 10.78.0.2 > 10.78.0.1",
                        "tcp SYN 10.78.0.1 > 10.78.0.2:" + port,
                        "tcp SYN+ACK 10.78.0.2:" + port + " > 10.78.0.1");
    }

    @Test
    void aCutLinkIsCapturedBeforeAndAfterItsRepair() throws Exception {
        Path file = dir.resolve("cut.pcap");
        try (PacketCapture c = PacketCapture.start(a, "va", file);
                ServerSocket server = b.serverSocketFactory().createServerSocket(0);
                NetlinkHandle ha = NetlinkHandle.open(a)) {
            connect(server);
            ha.linkSetDown("va");
            ha.linkSetUp("va");
            connect(server);
        }
        assertThat(read(file).stream()
                        .filter(f -> f.startsWith("tcp SYN 10.78.0.1"))
                        .count())
                .isEqualTo(2);
    }

    @Test
    void closeWritesFramesThatCameWhileTheReaderWaitedBetweenAnEmptyReadAndItsNextStep() throws Exception {
        Path file = dir.resolve("late.pcap");
        PacketCapture c = PacketCapture.start(a, "va", file);
        CountDownLatch readerIdle = new CountDownLatch(1);
        AtomicReference<Thread> closer = new AtomicReference<>();
        // the reader, just told "empty" by the kernel, loses its CPU until close() waits for it
        // (seen under load: CaptureTest's file held no frame of a TCP exchange the socket had queued)
        c.afterEmptyRead = () -> {
            readerIdle.countDown();
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            Thread t;
            while (((t = closer.get()) == null || t.getState() != Thread.State.WAITING) && System.nanoTime() < giveUp) {
                Thread.onSpinWait();
            }
        };
        Thread t = new Thread(c::close, "capture-closer");
        try {
            assertThat(ping()).isTrue(); // the reader wakes for these frames, then reads the queue empty
            assertThat(readerIdle.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(ping()).isTrue(); // queued while the reader is away
        } finally {
            closer.set(t);
            t.start();
            t.join(15_000);
        }
        assertThat(t.isAlive()).isFalse();
        assertThat(c.isOpen()).isFalse();
        assertThat(read(file).stream().filter(f -> f.startsWith("icmp 8 ")).count())
                .as("echo requests in the file")
                .isEqualTo(2);
    }

    private boolean ping() throws Exception {
        return a.call(() -> InetAddress.getByName("10.78.0.2").isReachable(2000));
    }

    @Test
    void aMissingDeviceIsNamedAndNoFileIsLeft() {
        Path file = dir.resolve("none.pcap");
        assertThatThrownBy(() -> PacketCapture.start(a, "nosuch0", file))
                .isInstanceOfSatisfying(
                        SyscallException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENODEV.code()))
                .hasMessageContaining("nosuch0");
        assertThat(file).doesNotExist();
        assertThatThrownBy(() -> PacketCapture.start(a, "va%d", file)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDeviceByItsIndexIsCapturedUnderTheNameItHasAndAMissingIndexIsRefused() throws Exception {
        int index;
        try (NetlinkHandle h = NetlinkHandle.open(a)) {
            index = h.linkIndex("va");
        }
        Path file = dir.resolve("by-index.pcap");
        try (PacketCapture c = PacketCapture.start(a, index, file)) {
            assertThat(ping()).isTrue();
            assertThat(c.toString()).contains("va in ");
        }
        assertThat(PcapFrames.lines(file, (v, b) -> "frame")).isNotEmpty();
        Path none = dir.resolve("none.pcap");
        assertThatThrownBy(() -> PacketCapture.start(a, 0x7fff_fff0, none))
                .isInstanceOfSatisfying(
                        SyscallException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENODEV.code()))
                .hasMessageContaining("ifindex 2147483632");
        assertThat(none).doesNotExist();
        assertThatThrownBy(() -> PacketCapture.start(a, 0, none))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
    }

    private void connect(ServerSocket server) throws Exception {
        try (Socket s = a.socketFactory().createSocket()) {
            s.connect(new InetSocketAddress("10.78.0.2", server.getLocalPort()), 2000);
            server.accept().close();
        }
    }

    /** One line per frame: what it is, between which addresses. */
    static List<String> read(Path file) throws Exception {
        assertThat(Files.size(file)).isGreaterThanOrEqualTo(24);
        try (PcapReader r = PcapReader.open(file)) {
            assertThat(r.linkType()).isEqualTo(LinkType.ETHERNET.code());
        }
        return PcapFrames.lines(file, PacketCaptureTest::describe);
    }

    static String describe(FrameView v, ByteBuffer frame) {
        if (!v.parse(frame)) {
            return "other";
        }
        if (v.hasArp()) {
            ArpPacket p = v.arp();
            return p.operation() == ArpPacket.REQUEST
                    ? "arp request " + Ipv4Address.format(p.senderIp()) + " asks " + Ipv4Address.format(p.targetIp())
                    : "arp reply " + Ipv4Address.format(p.senderIp()) + " to " + Ipv4Address.format(p.targetIp());
        }
        if (!v.hasIpv4()) {
            return "other";
        }
        String src = Ipv4Address.format(v.ipv4().source());
        String dst = Ipv4Address.format(v.ipv4().destination());
        if (v.hasIcmp()) {
            IcmpHeader i = v.icmp();
            return "icmp " + i.type() + " " + src + " > " + dst;
        }
        if (v.hasTcp()) {
            TcpHeader t = v.tcp();
            if (t.has(TcpHeader.SYN)) { // the server's port, not the client's ephemeral one
                return t.has(TcpHeader.ACK)
                        ? "tcp SYN+ACK " + src + ":" + t.sourcePort() + " > " + dst
                        : "tcp SYN " + src + " > " + dst + ":" + t.destinationPort();
            }
            return "tcp " + src + " > " + dst;
        }
        return "ipv4 " + src + " > " + dst;
    }
}
