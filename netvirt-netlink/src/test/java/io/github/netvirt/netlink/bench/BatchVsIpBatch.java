package io.github.netvirt.netlink.bench;

import io.github.netvirt.netlink.AddressSpec;
import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.netlink.LinkSpec;
import io.github.netvirt.netlink.NetlinkBatch;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Benchmark (root, not a test), netvirt batches against {@code ip -n A -batch FILE} in the same run:
 * <ol>
 * <li>kernel-heavy: N veth pairs, each created up with its peer in a second namespace, plus an
 *     address on each (links named, or given explicit ifindexes);</li>
 * <li>client-heavy: on N existing links, set the MTU and set up (2N cheap requests by name).</li>
 * </ol>
 * Prints medians and ratios.
 *
 * <pre>java -cp ... io.github.netvirt.netlink.bench.BatchVsIpBatch [pairs] [rounds]</pre>
 */
public final class BatchVsIpBatch {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        long[] byName = new long[rounds];
        long[] byIndex = new long[rounds];
        long[] ip = new long[rounds];
        runNetvirt(n, false); // warm-up
        runNetvirt(n, true);
        for (int r = 0; r < rounds; r++) {
            ip[r] = runIp(n);
            byName[r] = runNetvirt(n, false);
            byIndex[r] = runNetvirt(n, true);
        }
        long[] setIp = new long[rounds];
        long[] setNv = new long[rounds];
        for (int r = 0; r < rounds; r++) {
            long[] both = runSettings(n);
            setNv[r] = both[0];
            setIp[r] = both[1];
        }
        long mIp = median(ip);
        long mName = median(byName);
        long mIndex = median(byIndex);
        System.out.printf("%d veth pairs + %d addresses, median of %d rounds%n", n, n, rounds);
        System.out.printf("ip -batch                : %8.2f ms%n", mIp / 1e6);
        System.out.printf(
                "netvirt batch, by name   : %8.2f ms  (%.1fx faster than ip -batch)%n",
                mName / 1e6, (double) mIp / mName);
        System.out.printf(
                "netvirt batch, by ifindex: %8.2f ms  (%.1fx faster than ip -batch)%n",
                mIndex / 1e6, (double) mIp / mIndex);
        System.out.printf("%d x (mtu + up) on existing links, median of %d rounds%n", n, rounds);
        System.out.printf("ip -batch                : %8.2f ms%n", median(setIp) / 1e6);
        System.out.printf(
                "netvirt batch, by name   : %8.2f ms  (%.1fx faster than ip -batch)%n",
                median(setNv) / 1e6, (double) median(setIp) / median(setNv));
    }

    /** {netvirt, ip} nanoseconds to set MTU and up on n existing links of a named namespace. */
    static long[] runSettings(int n) throws Exception {
        String a = "nl-bench-s" + ProcessHandle.current().pid();
        exec("ip", "netns", "add", a);
        Path create = Files.createTempFile("nl-bench", ".ip");
        Path set = Files.createTempFile("nl-bench", ".ip");
        try (NetNamespace ns = NetNamespace.open(a)) {
            List<String> lines = new ArrayList<>();
            List<String> sets = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                lines.add("link add sv" + i + " type veth peer name sp" + i);
                sets.add("link set dev sp" + i + " mtu 1400");
                sets.add("link set dev sp" + i + " up");
            }
            Files.write(create, lines);
            Files.write(set, sets);
            exec("ip", "-n", a, "-batch", create.toString());
            long t0 = System.nanoTime();
            try (NetlinkHandle h = NetlinkHandle.open(ns)) {
                NetlinkBatch batch = h.batch();
                for (int i = 0; i < n; i++) {
                    batch.linkSetMtu("sv" + i, 1400).linkSetUp("sv" + i);
                }
                batch.execute();
            }
            long nv = System.nanoTime() - t0;
            t0 = System.nanoTime();
            exec("ip", "-n", a, "-batch", set.toString());
            long ipT = System.nanoTime() - t0;
            return new long[] {nv, ipT};
        } finally {
            Files.deleteIfExists(create);
            Files.deleteIfExists(set);
            exec("ip", "netns", "del", a);
        }
    }

    static long median(long[] v) {
        long[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }

    static long runNetvirt(int n, boolean byIndex) throws Exception {
        try (NetNamespace a = NetNamespace.ephemeral();
                NetNamespace b = NetNamespace.ephemeral()) {
            long t0 = System.nanoTime();
            try (NetlinkHandle h = NetlinkHandle.open(a)) {
                NetlinkBatch batch = h.batch();
                for (int i = 0; i < n; i++) {
                    LinkSpec<?> veth =
                            LinkSpec.veth("bv" + i, "bp" + i).peerNetns(b).up();
                    batch.linkAdd(byIndex ? veth.index(100 + i) : veth);
                }
                for (int i = 0; i < n; i++) {
                    IpPrefix p = IpPrefix.parse("10." + (i / 250) + "." + (i % 250) + ".1/24");
                    batch.addrAdd(byIndex ? AddressSpec.of(100 + i, p) : AddressSpec.of("bv" + i, p));
                }
                batch.execute();
            }
            return System.nanoTime() - t0;
        }
    }

    static long runIp(int n) throws Exception {
        String a = "nl-bench-a" + ProcessHandle.current().pid();
        String b = "nl-bench-b" + ProcessHandle.current().pid();
        exec("ip", "netns", "add", a);
        exec("ip", "netns", "add", b);
        Path file = Files.createTempFile("nl-bench", ".ip");
        try {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                lines.add("link add bv" + i + " up type veth peer name bp" + i + " netns " + b);
            }
            for (int i = 0; i < n; i++) {
                lines.add("addr add 10." + (i / 250) + "." + (i % 250) + ".1/24 dev bv" + i);
            }
            Files.write(file, lines);
            long t0 = System.nanoTime();
            exec("ip", "-n", a, "-batch", file.toString());
            return System.nanoTime() - t0;
        } finally {
            Files.deleteIfExists(file);
            exec("ip", "netns", "del", a);
            exec("ip", "netns", "del", b);
        }
    }

    static void exec(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed");
        }
    }
}
