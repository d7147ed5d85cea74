package io.github.netvirt.examples.sniffer;

import io.github.netvirt.core.Topology;
import io.github.netvirt.core.TopologyBuilder;
import io.github.netvirt.examples.Example;
import io.github.netvirt.examples.OnExit;
import io.github.netvirt.faults.PortMirror;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.tap.TapDevice;
import io.github.netvirt.tap.TapTimeoutException;
import io.github.netvirt.tap.pcap.PcapWriter;
import io.github.netvirt.tap.pcap.TimestampPrecision;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A wire made of two TAP devices with a sniffer in the middle: every frame that crosses from
 * namespace {@code a} (10.0.3.1, TAP {@code tap0}) to namespace {@code b} (10.0.3.2, TAP
 * {@code tap0}) or back is read by this program, written to a pcap file, and passed on. The file
 * opens in tcpdump and Wireshark.
 *
 * <pre>
 *   a: tap0 10.0.3.1/24 &lt;-&gt; [this program -&gt; capture.pcap] &lt;-&gt; tap0 10.0.3.2/24 :b
 * </pre>
 *
 * {@code java -jar netvirt-examples.jar sniffer [FILE.pcap]}: sends UDP and TCP across the wire,
 * prints what was captured, removes the network. Exit code 0 if the traffic crossed and was captured.
 *
 * <p>{@code sniffer --mirror [FILE.pcap]} does it the way a switch's monitor port does instead: the
 * hosts talk through a bridge, both bridge ports are mirrored ({@link PortMirror}, tc mirred) to a
 * TAP device {@code mon0} that is not on the bridge, and this program only reads that TAP.
 *
 * <pre>
 *   a: eth0 10.0.3.1 -- lan: br -- eth0 10.0.3.2 :b        lan: a-port, b-port =mirror=&gt; mon0 -&gt; pcap
 * </pre>
 */
public final class Sniffer implements AutoCloseable {
    private final PcapWriter pcap;
    private final Thread[] threads;
    private volatile boolean stopping;
    final AtomicLong frames = new AtomicLong();

    private Sniffer(TapDevice left, TapDevice right, PcapWriter pcap) {
        this.pcap = pcap;
        this.threads = new Thread[] {relay(left, right), relay(right, left)};
    }

    /** Copies frames between {@code left} and {@code right}, recording each in {@code pcap}. */
    public static Sniffer start(TapDevice left, TapDevice right, PcapWriter pcap) {
        left.setReadTimeout(Duration.ofMillis(100));
        right.setReadTimeout(Duration.ofMillis(100));
        Sniffer s = new Sniffer(left, right, pcap);
        for (Thread t : s.threads) {
            t.start();
        }
        return s;
    }

    private Thread relay(TapDevice from, TapDevice to) {
        Thread t = new Thread(
                () -> {
                    ByteBuffer frame = ByteBuffer.allocateDirect(TapDevice.MAX_FRAME);
                    while (!stopping) {
                        try {
                            frame.clear();
                            from.read(frame);
                            frame.flip();
                            synchronized (pcap) {
                                pcap.write(frame.duplicate());
                            }
                            frames.incrementAndGet();
                            to.write(frame);
                        } catch (TapTimeoutException e) {
                            // idle: look at the stop flag
                        } catch (AsynchronousCloseException e) {
                            return;
                        } catch (IOException e) {
                            if (!from.isOpen() || !to.isOpen()) {
                                return;
                            }
                        }
                    }
                },
                "sniffer-" + from.name());
        t.setDaemon(true);
        return t;
    }

    public static TopologyBuilder topology() {
        return Topology.create()
                .ephemeral()
                .ns("a")
                .tap("tap0")
                .addr("10.0.3.1/24")
                .ns("b")
                .tap("tap0")
                .addr("10.0.3.2/24");
    }

    public static int run(String... args) throws Exception {
        return run(System.out, args);
    }

    /** Two hosts on a bridge, and an unbridged TAP {@code mon0} that receives copies of both ports' frames. */
    public static TopologyBuilder mirroredTopology() {
        return Topology.create()
                .ephemeral()
                .ns("a")
                .veth("eth0", "lan", "a-port")
                .addr("10.0.3.1/24")
                .ns("b")
                .veth("eth0", "lan", "b-port")
                .addr("10.0.3.2/24")
                .ns("lan")
                .bridge("br")
                .ports("a-port", "b-port")
                .tap("mon0");
    }

    static int run(PrintStream out, String... args) throws Exception {
        boolean mirror = args.length > 0 && args[0].equals("--mirror");
        int files = args.length - (mirror ? 1 : 0);
        if (files > 1) {
            throw new Example.UsageException("unexpected argument \"" + args[args.length - 1] + "\"");
        }
        if (files == 1 && args[args.length - 1].startsWith("-")) {
            throw new Example.UsageException("unknown option \"" + args[args.length - 1] + "\"");
        }
        if (mirror) {
            return files == 1
                    ? runMirrored(out, Path.of(args[1]))
                    : inTemporaryFile("netvirt-mirror-", f -> runMirrored(out, f));
        }
        return files == 1
                ? runWired(out, Path.of(args[0]))
                : inTemporaryFile("netvirt-sniffer-", f -> runWired(out, f));
    }

    private interface Capture {
        int into(Path file) throws Exception;
    }

    /**
     * Runs {@code capture} into a new temporary file, deleted again if it fails or the JVM is stopped
     * meanwhile (nothing worth keeping: its name is printed only at the end).
     */
    private static int inTemporaryFile(String prefix, Capture capture) throws Exception {
        Path file = Files.createTempFile(prefix, ".pcap");
        try (OnExit deleting = OnExit.run(() -> Files.deleteIfExists(file))) {
            try {
                return capture.into(file);
            } catch (Exception | Error e) {
                Files.deleteIfExists(file);
                throw e;
            }
        }
    }

    static int runWired(PrintStream out, Path file) throws Exception {
        boolean udp;
        boolean tcp;
        long captured;
        try (Topology t = topology().apply();
                PcapWriter pcap = PcapWriter.create(file, TimestampPrecision.NANOSECONDS);
                Sniffer sniffer = start(t.tap("a", "tap0"), t.tap("b", "tap0"), pcap);
                OnExit flushing = OnExit.run(() -> flush(pcap))) {
            NetNamespace a = t.namespace("a");
            NetNamespace b = t.namespace("b");
            udp = udpExchange(a, b);
            out.println("udp a -> b \"sniff me\": " + (udp ? "ok" : "FAILED"));
            tcp = tcpExchange(a, b);
            out.println("tcp a -> b 10.0.3.2:8000: " + (tcp ? "ok" : "FAILED"));
            sniffer.close();
            captured = sniffer.frames.get();
        }
        out.println("captured " + captured + " frames into " + file);
        out.println("read it with: tcpdump -nn -r " + file);
        return udp && tcp && captured > 0 ? 0 : 1;
    }

    static int runMirrored(PrintStream out, Path file) throws Exception {
        boolean udp;
        boolean tcp;
        long captured;
        try (Topology t = mirroredTopology().apply();
                PcapWriter pcap = PcapWriter.create(file, TimestampPrecision.NANOSECONDS);
                OnExit flushing = OnExit.run(() -> flush(pcap))) {
            NetNamespace lan = t.namespace("lan");
            TapDevice mon = t.tap("lan", "mon0");
            mon.setReadTimeout(Duration.ofMillis(100));
            AtomicLong frames = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            Thread reader = new Thread(
                    () -> {
                        ByteBuffer frame = ByteBuffer.allocateDirect(TapDevice.MAX_FRAME);
                        while (!stop.get()) {
                            try {
                                frame.clear();
                                mon.read(frame);
                                frame.flip();
                                synchronized (pcap) {
                                    pcap.write(frame);
                                }
                                frames.incrementAndGet();
                            } catch (TapTimeoutException e) {
                                // idle
                            } catch (IOException e) {
                                return;
                            }
                        }
                    },
                    "mirror-reader");
            reader.start();
            try (PortMirror ma = PortMirror.ingress(lan, "a-port", "mon0");
                    PortMirror mb = PortMirror.ingress(lan, "b-port", "mon0")) {
                udp = udpExchange(t.namespace("a"), t.namespace("b"));
                out.println("udp a -> b \"sniff me\" through the bridge: " + (udp ? "ok" : "FAILED"));
                tcp = tcpExchange(t.namespace("a"), t.namespace("b"));
                out.println("tcp a -> b 10.0.3.2:8000 through the bridge: " + (tcp ? "ok" : "FAILED"));
                Thread.sleep(200); // let the last mirrored copies arrive
            } finally {
                stop.set(true);
                reader.join();
            }
            captured = frames.get();
        }
        out.println("captured " + captured + " mirrored frames into " + file);
        out.println("read it with: tcpdump -nn -r " + file);
        return udp && tcp && captured > 0 ? 0 : 1;
    }

    /**
     * Writes out what {@code pcap} holds, whole frames only (the readers write under its lock): what a
     * stopped JVM would otherwise lose with the writer's buffer, as tcpdump keeps it on Ctrl-C.
     */
    private static void flush(PcapWriter pcap) throws IOException {
        synchronized (pcap) {
            pcap.flush();
        }
    }

    private static boolean udpExchange(NetNamespace a, NetNamespace b) throws IOException {
        try (DatagramChannel rx = b.openDatagramChannel();
                DatagramChannel tx = a.openDatagramChannel()) {
            rx.bind(new InetSocketAddress("10.0.3.2", 9999));
            tx.send(ByteBuffer.wrap("sniff me".getBytes(StandardCharsets.US_ASCII)), rx.getLocalAddress());
            rx.socket().setSoTimeout(2000);
            DatagramPacket p = new DatagramPacket(new byte[64], 64);
            rx.socket().receive(p);
            return "sniff me".equals(new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII));
        }
    }

    private static boolean tcpExchange(NetNamespace a, NetNamespace b) throws Exception {
        try (ServerSocket ss = b.serverSocketFactory().createServerSocket()) {
            ss.bind(new InetSocketAddress("10.0.3.2", 8000));
            Future<Integer> server = b.submit(() -> {
                try (Socket s = ss.accept()) {
                    int v = new DataInputStream(s.getInputStream()).readInt();
                    new DataOutputStream(s.getOutputStream()).writeInt(v * 2);
                    return v;
                }
            });
            try (Socket c = a.socketFactory().createSocket("10.0.3.2", 8000)) {
                c.setSoTimeout(2000);
                new DataOutputStream(c.getOutputStream()).writeInt(21);
                return new DataInputStream(c.getInputStream()).readInt() == 42 && server.get() == 21;
            }
        }
    }

    /** Stops both relay threads and waits for them; the TAPs belong to the topology. */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        for (Thread t : threads) {
            t.join();
        }
    }
}
