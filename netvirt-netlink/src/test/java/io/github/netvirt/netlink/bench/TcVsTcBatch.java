package io.github.netvirt.netlink.bench;

import io.github.netvirt.netlink.FilterSpec;
import io.github.netvirt.netlink.LinkSpec;
import io.github.netvirt.netlink.NetlinkBatch;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netlink.QdiscSpec;
import io.github.netvirt.netlink.TcHandle;
import io.github.netvirt.netns.NetNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Benchmark (root, not a test), netvirt's traffic control against {@code tc -n NS -batch FILE} in the
 * same run. On N veth pairs of one namespace, one cycle installs, per pair, a tbf root qdisc, an
 * ingress qdisc and a u32 mirred filter to the peer, then deletes both qdiscs (5N requests). Methods:
 * tc -batch; a netvirt batch by name; a netvirt batch by ifindex; netvirt one request at a time.
 * Prints medians and ratios.
 *
 * <pre>java -cp ... io.github.netvirt.netlink.bench.TcVsTcBatch [pairs] [rounds]</pre>
 */
public final class TcVsTcBatch {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String name = "tc-bench-" + ProcessHandle.current().pid();
        BatchVsIpBatch.exec("ip", "netns", "add", name);
        Path file = Files.createTempFile("tc-bench", ".tc");
        try (NetNamespace ns = NetNamespace.open(name);
                NetlinkHandle h = NetlinkHandle.open(ns)) {
            NetlinkBatch create = h.batch();
            for (int i = 0; i < n; i++) {
                create.linkAdd(LinkSpec.veth("ta" + i, "tb" + i)
                        .index(100 + i)
                        .peerIndex(1000 + i)
                        .up());
            }
            create.execute();
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                lines.add("qdisc replace dev ta" + i + " root tbf rate 10mbit burst 16kb latency 50ms");
                lines.add("qdisc add dev ta" + i + " ingress");
                lines.add("filter add dev ta" + i + " parent ffff: protocol all prio 1 u32 match u32 0 0"
                        + " action mirred egress mirror dev tb" + i);
            }
            for (int i = 0; i < n; i++) {
                lines.add("qdisc del dev ta" + i + " root");
                lines.add("qdisc del dev ta" + i + " ingress");
            }
            Files.write(file, lines);
            long[] tc = new long[rounds];
            long[] byName = new long[rounds];
            long[] byIndex = new long[rounds];
            long[] single = new long[rounds];
            netvirt(h, n, true, false); // warm-up
            netvirt(h, n, false, true);
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                BatchVsIpBatch.exec("tc", "-n", name, "-batch", file.toString());
                tc[r] = System.nanoTime() - t0;
                byName[r] = netvirt(h, n, false, false);
                byIndex[r] = netvirt(h, n, true, false);
                single[r] = netvirt(h, n, true, true);
            }
            long mTc = BatchVsIpBatch.median(tc);
            System.out.printf(
                    "%d pairs x (tbf + ingress + u32 mirred filter, then 2 deletes), median of %d rounds%n", n, rounds);
            System.out.printf("tc -batch                   : %8.2f ms%n", mTc / 1e6);
            print("netvirt batch, by name     ", BatchVsIpBatch.median(byName), mTc);
            print("netvirt batch, by ifindex  ", BatchVsIpBatch.median(byIndex), mTc);
            print("netvirt, one request a time", BatchVsIpBatch.median(single), mTc);
        } finally {
            Files.deleteIfExists(file);
            BatchVsIpBatch.exec("ip", "netns", "del", name);
        }
    }

    private static void print(String what, long nanos, long tc) {
        System.out.printf("%s: %8.2f ms  (tc -batch time / this = %.2f)%n", what, nanos / 1e6, (double) tc / nanos);
    }

    static long netvirt(NetlinkHandle h, int n, boolean byIndex, boolean oneByOne) {
        NetlinkBatch b = h.batch();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            QdiscSpec<?> tbf = (byIndex ? QdiscSpec.tbf(100 + i) : QdiscSpec.tbf("ta" + i))
                    .rate(10_000_000)
                    .burst(16 * 1024)
                    .latency(Duration.ofMillis(50));
            QdiscSpec<?> ingress = byIndex ? QdiscSpec.ingress(100 + i) : QdiscSpec.ingress("ta" + i);
            FilterSpec mirror = (byIndex ? FilterSpec.u32MatchAll(100 + i) : FilterSpec.u32MatchAll("ta" + i))
                    .parent(TcHandle.INGRESS_QDISC)
                    .priority(1);
            mirror = byIndex ? mirror.mirredEgressMirror(1000 + i) : mirror.mirredEgressMirror("tb" + i);
            if (oneByOne) {
                h.qdiscReplace(tbf);
                h.qdiscAdd(ingress);
                h.filterAdd(mirror);
            } else {
                b.qdiscReplace(tbf).qdiscAdd(ingress).filterAdd(mirror);
            }
        }
        for (int i = 0; i < n; i++) {
            QdiscSpec<?> root = byIndex ? QdiscSpec.root(100 + i) : QdiscSpec.root("ta" + i);
            QdiscSpec<?> ingress = byIndex ? QdiscSpec.ingress(100 + i) : QdiscSpec.ingress("ta" + i);
            if (oneByOne) {
                h.qdiscDel(root);
                h.qdiscDel(ingress);
            } else {
                b.qdiscDel(root).qdiscDel(ingress);
            }
        }
        if (!oneByOne) {
            b.execute();
        }
        return System.nanoTime() - t0;
    }
}
