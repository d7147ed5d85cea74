package io.github.netvirt.examples.userspacehost;

import io.github.netvirt.core.Topology;
import io.github.netvirt.core.TopologyBuilder;
import io.github.netvirt.examples.Example;
import io.github.netvirt.netlink.MacAddress;
import io.github.netvirt.netlink.Neighbor;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.tap.TapDevice;
import io.github.netvirt.tap.TapTimeoutException;
import io.github.netvirt.tap.packet.ArpBuilder;
import io.github.netvirt.tap.packet.ArpPacket;
import io.github.netvirt.tap.packet.EthernetHeader;
import io.github.netvirt.tap.packet.FrameView;
import io.github.netvirt.tap.packet.IcmpEchoBuilder;
import io.github.netvirt.tap.packet.IcmpHeader;
import io.github.netvirt.tap.packet.Ipv4Address;
import io.github.netvirt.tap.packet.Ipv4Header;
import io.github.netvirt.tap.packet.UdpHeader;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A host made of Java code: it owns a TAP device plugged into a bridge and answers ARP, ICMP echo
 * and UDP echo (port 7) for 10.0.2.100 by itself, frame by frame. A kernel namespace, {@code pc}
 * (10.0.2.1), on the same bridge resolves it with ARP, pings it ({@link InetAddress#isReachable}
 * sends ICMP echo requests when run as root) and exchanges UDP with it.
 *
 * <pre>
 *   pc: eth0 10.0.2.1/24 ---- lan: br ---- tap0 &lt;-&gt; this program (10.0.2.100, 02:00:0a:00:02:64)
 * </pre>
 *
 * {@code java -jar netvirt-examples.jar userspace-host [SECONDS]}: proves the three protocols,
 * optionally keeps answering for SECONDS more, then removes everything. Exit code 0 only if ARP,
 * ICMP and UDP all worked.
 */
public final class UserspaceHost implements AutoCloseable {
    public static final String IP = "10.0.2.100";
    public static final long MAC = MacAddress.parse("02:00:0a:00:02:64").bits();
    public static final int ECHO_PORT = 7;

    private final TapDevice tap;
    private final int ip = Ipv4Address.parse(IP);
    private final Thread thread;
    private volatile boolean stopping;
    final AtomicLong arpReplies = new AtomicLong();
    final AtomicLong icmpReplies = new AtomicLong();
    final AtomicLong udpReplies = new AtomicLong();

    private UserspaceHost(TapDevice tap) {
        this.tap = tap;
        this.thread = new Thread(this::serve, "userspace-host");
        thread.setDaemon(true);
    }

    /** Starts answering on {@code tap}. */
    public static UserspaceHost start(TapDevice tap) {
        UserspaceHost h = new UserspaceHost(tap);
        tap.setReadTimeout(Duration.ofMillis(100)); // to notice close() between frames
        h.thread.start();
        return h;
    }

    public static TopologyBuilder topology() {
        return Topology.create()
                .ephemeral()
                .ns("pc")
                .veth("eth0", "lan", "pc-port")
                .addr("10.0.2.1/24")
                .ns("lan")
                .tap("tap0")
                .bridge("br")
                .ports("pc-port", "tap0");
    }

    public static int run(String... args) throws Exception {
        return run(System.out, args);
    }

    /** [SECONDS]: how long to stay up after the checks, a whole number, 0 when not given. */
    private static long seconds(String... args) throws Example.UsageException {
        if (args.length > 1) {
            throw new Example.UsageException("unexpected argument \"" + args[1] + "\"");
        }
        if (args.length == 0) {
            return 0;
        }
        try {
            long s = Long.parseLong(args[0]);
            if (s >= 0) {
                return s;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new Example.UsageException("SECONDS is a whole number of seconds, 0 or more: \"" + args[0] + "\"");
    }

    /** Runs the example with what it prints going to {@code out}; the result is the exit code. */
    public static int run(PrintStream out, String... args) throws Exception {
        long extraSeconds = seconds(args);
        try (Topology t = topology().apply();
                UserspaceHost host = start(t.tap("lan", "tap0"))) {
            NetNamespace pc = t.namespace("pc");
            InetAddress me = InetAddress.getByName(IP);

            long start = System.nanoTime();
            boolean reachable = pc.call(() -> me.isReachable(2000));
            long ms = (System.nanoTime() - start) / 1_000_000;
            boolean icmp = reachable && host.icmpReplies.get() > 0;
            out.println("icmp echo pc -> " + IP + ": " + (icmp ? "ok" : "FAILED") + " (isReachable " + reachable
                    + " after " + ms + " ms, " + host.icmpReplies + " replies)");

            boolean udp;
            try (DatagramChannel ch = pc.openDatagramChannel()) {
                ch.socket().setSoTimeout(2000);
                ch.connect(new InetSocketAddress(me, ECHO_PORT));
                ch.write(ByteBuffer.wrap("hello, userspace".getBytes(StandardCharsets.US_ASCII)));
                DatagramPacket p = new DatagramPacket(new byte[1500], 1500);
                ch.socket().receive(p);
                udp = "hello, userspace".equals(new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII));
            } catch (IOException e) {
                udp = false;
            }
            out.println("udp echo pc -> " + IP + ":" + ECHO_PORT + ": " + (udp ? "ok" : "FAILED"));

            boolean arp = false;
            for (Neighbor n : t.netlink("pc").neighList()) {
                if (me.equals(n.ip()) && n.mac() != null && n.mac().bits() == MAC) {
                    arp = true;
                }
            }
            out.println("arp: pc resolved " + IP + " to " + new MacAddress(MAC) + ": " + (arp ? "ok" : "FAILED") + " ("
                    + host.arpReplies + " replies)");
            if (extraSeconds > 0) {
                out.println("answering for " + extraSeconds + " s more");
                TimeUnit.SECONDS.sleep(
                        extraSeconds); // to milliseconds without overflow: Long.MAX_VALUE is "until stopped"
            }
            return icmp && udp && arp ? 0 : 1;
        }
    }

    private void serve() {
        ByteBuffer in = ByteBuffer.allocateDirect(TapDevice.MAX_FRAME);
        ByteBuffer out = ByteBuffer.allocateDirect(TapDevice.MAX_FRAME);
        FrameView f = new FrameView();
        byte[] payload = new byte[TapDevice.MAX_FRAME];
        while (!stopping) {
            try {
                in.clear();
                int n = tap.read(in);
                in.flip();
                if (n <= 0 || !f.parse(in)) {
                    continue;
                }
                out.clear();
                if (f.hasArp()) {
                    ArpPacket a = f.arp();
                    if (a.isEthernetIpv4() && a.operation() == ArpPacket.REQUEST && a.targetIp() == ip) {
                        ArpBuilder.reply(out, MAC, ip, a.senderMac(), a.senderIp());
                        arpReplies.incrementAndGet(); // before the reply leaves: the peer may look at once
                        send(out);
                    }
                } else if (f.hasIpv4() && f.ipv4().destination() == ip) {
                    Ipv4Header h = f.ipv4();
                    long peerMac = f.ethernet().source();
                    if (f.hasIcmp() && f.icmp().type() == IcmpHeader.ECHO_REQUEST) {
                        IcmpHeader icmp = f.icmp();
                        int len = h.payloadOffset() + h.payloadLength() - icmp.payloadOffset();
                        in.get(icmp.payloadOffset(), payload, 0, len);
                        IcmpEchoBuilder.reply(
                                out, MAC, peerMac, ip, h.source(), icmp.identifier(), icmp.sequence(), payload, 0, len);
                        icmpReplies.incrementAndGet(); // before the reply leaves: the peer may look at once
                        send(out);
                    } else if (f.hasUdp() && f.udp().destinationPort() == ECHO_PORT) {
                        UdpHeader u = f.udp();
                        int len = u.length() - UdpHeader.LENGTH;
                        in.get(u.payloadOffset(), payload, 0, len);
                        udpReply(out, peerMac, h.source(), u.sourcePort(), payload, len);
                        udpReplies.incrementAndGet(); // before the reply leaves: the peer may look at once
                        send(out);
                    }
                }
            } catch (AsynchronousCloseException e) {
                return;
            } catch (TapTimeoutException e) {
                // nothing arrived: check whether to stop
            } catch (IOException e) {
                if (!tap.isOpen()) {
                    return;
                }
            }
        }
    }

    /** Ethernet + IPv4 + UDP (checksum 0: optional over IPv4) echoing {@code payload}. */
    private void udpReply(ByteBuffer out, long peerMac, int peerIp, int peerPort, byte[] payload, int len) {
        int ipAt = EthernetHeader.LENGTH;
        int udpAt = ipAt + Ipv4Header.MIN_LENGTH;
        EthernetHeader.write(out, 0, peerMac, MAC, EthernetHeader.TYPE_IPV4);
        Ipv4Header.write(out, ipAt, UdpHeader.LENGTH + len, 0, 64, Ipv4Header.PROTO_UDP, ip, peerIp);
        out.putShort(udpAt, (short) ECHO_PORT);
        out.putShort(udpAt + 2, (short) peerPort);
        out.putShort(udpAt + 4, (short) (UdpHeader.LENGTH + len));
        out.putShort(udpAt + 6, (short) 0);
        out.put(udpAt + UdpHeader.LENGTH, payload, 0, len);
        out.position(udpAt + UdpHeader.LENGTH + len);
    }

    private void send(ByteBuffer out) throws IOException {
        out.flip();
        tap.write(out);
    }

    /** Stops answering and waits for the thread (the TAP belongs to the topology, which closes it). */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        thread.join();
    }
}
