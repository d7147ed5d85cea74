package io.github.netvirt.faults.bench;

import io.github.netvirt.faults.impair.Endpoint;
import io.github.netvirt.faults.impair.ImpairedLink;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.TestNames;
import io.github.netvirt.tap.impair.Impairment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.concurrent.Future;

/**
 * What the userspace impaired link costs, next to its peer measured in the same run: a kernel veth
 * pair between two namespaces. UDP round trips (median of 2000) and one TCP bulk transfer, each
 * repeated, medians reported with the ratio. Not a test: run it by hand, as root:
 *
 * <pre>
 * M2=~/.m2/repository; java -cp netvirt-faults/target/classes:netvirt-faults/target/test-classes:\
 * $M2/io/github/netvirt/netvirt-netns/0.1.0-SNAPSHOT/netvirt-netns-0.1.0-SNAPSHOT.jar:\
 * $M2/io/github/netvirt/netvirt-netns/0.1.0-SNAPSHOT/netvirt-netns-0.1.0-SNAPSHOT-tests.jar:\
 * $M2/net/java/dev/jna/jna/5.19.1/jna-5.19.1.jar io.github.netvirt.faults.bench.ImpairedLinkBench
 * </pre>
 */
public final class ImpairedLinkBench {
    private static final int ROUNDS = 2000;
    private static final int BULK = 32 << 20;
    private static final int REPEATS = 5;

    private ImpairedLinkBench() {}

    public static void main(String[] args) throws Exception {
        String a = TestNames.unique("fjb");
        String b = TestNames.unique("fjb");
        InetAddress ipA = InetAddress.getByName("10.79.0.1");
        InetAddress ipB = InetAddress.getByName("10.79.0.2");
        try (NetNamespace na = NetNamespace.create(a);
                NetNamespace nb = NetNamespace.create(b);
                NetNamespace ia = NetNamespace.ephemeral();
                NetNamespace ib = NetNamespace.ephemeral();
                ImpairedLink link = ImpairedLink.open(
                        Endpoint.of(ia, "fja", ipA, 24), Endpoint.of(ib, "fjb", ipB, 24), Impairment.none(), 1)) {
            Ip.ok("-n", a, "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", b);
            Ip.ok("-n", a, "addr", "add", "10.79.0.1/24", "dev", "eth0");
            Ip.ok("-n", b, "addr", "add", "10.79.0.2/24", "dev", "eth0");
            Ip.ok("-n", a, "link", "set", "eth0", "up");
            Ip.ok("-n", b, "link", "set", "eth0", "up");
            double[] rttVeth = new double[REPEATS];
            double[] rttLink = new double[REPEATS];
            double[] bulkVeth = new double[REPEATS];
            double[] bulkLink = new double[REPEATS];
            udpRtt(na, nb, ipB); // warm-up, ARP
            udpRtt(ia, ib, ipB);
            for (int r = 0; r < REPEATS; r++) {
                rttVeth[r] = udpRtt(na, nb, ipB);
                rttLink[r] = udpRtt(ia, ib, ipB);
                bulkVeth[r] = bulkMbps(na, nb, ipB);
                bulkLink[r] = bulkMbps(ia, ib, ipB);
            }
            double rv = median(rttVeth);
            double rl = median(rttLink);
            double bv = median(bulkVeth);
            double bl = median(bulkLink);
            System.out.printf(
                    "udp round trip, median us: veth %.1f, impaired link (no impairment) %.1f, ratio %.2f%n",
                    rv, rl, rl / rv);
            System.out.printf(
                    "tcp bulk, median Mbit/s: veth %.0f, impaired link (no impairment) %.0f, ratio %.3f%n",
                    bv, bl, bl / bv);
        } finally {
            NetNamespace.delete(a);
            NetNamespace.delete(b);
        }
    }

    /** Median UDP round trip in microseconds over {@link #ROUNDS} ping-pongs. */
    static double udpRtt(NetNamespace client, NetNamespace server, InetAddress serverIp) throws Exception {
        try (DatagramChannel s = server.openDatagramChannel();
                DatagramChannel c = client.openDatagramChannel()) {
            s.bind(new InetSocketAddress(serverIp, 0));
            Future<?> echo = server.submit(() -> {
                ByteBuffer b = ByteBuffer.allocate(64);
                for (int i = 0; i < ROUNDS; i++) {
                    b.clear();
                    var from = s.receive(b);
                    b.flip();
                    s.send(b, from);
                }
                return null;
            });
            c.connect(s.getLocalAddress());
            ByteBuffer b = ByteBuffer.allocate(64);
            double[] t = new double[ROUNDS];
            for (int i = 0; i < ROUNDS; i++) {
                b.clear().putLong(i).flip();
                long start = System.nanoTime();
                c.write(b);
                b.clear();
                c.read(b);
                t[i] = (System.nanoTime() - start) / 1000.0;
            }
            echo.get();
            return median(t);
        }
    }

    static double bulkMbps(NetNamespace client, NetNamespace server, InetAddress serverIp) throws Exception {
        try (ServerSocketChannel ss = server.openServerSocketChannel()) {
            ss.bind(new InetSocketAddress(serverIp, 0));
            Future<Long> rx = server.submit(() -> {
                try (SocketChannel c = ss.accept()) {
                    ByteBuffer b = ByteBuffer.allocateDirect(1 << 16);
                    long n = 0;
                    while (true) {
                        b.clear();
                        int r = c.read(b);
                        if (r < 0) {
                            return n;
                        }
                        n += r;
                    }
                }
            });
            ByteBuffer data = ByteBuffer.allocateDirect(1 << 16);
            long start = System.nanoTime();
            try (SocketChannel c = client.openSocketChannel()) {
                c.connect(ss.getLocalAddress());
                long sent = 0;
                while (sent < BULK) {
                    data.clear();
                    sent += c.write(data);
                }
            }
            long got = rx.get();
            return got * 8 / 1e6 / ((System.nanoTime() - start) / 1e9);
        }
    }

    static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
