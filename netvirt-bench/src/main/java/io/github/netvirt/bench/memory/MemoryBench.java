package io.github.netvirt.bench.memory;

import io.github.netvirt.bench.Cleanup;
import io.github.netvirt.bench.Main;
import io.github.netvirt.bench.Report;
import io.github.netvirt.bench.Topo;
import io.github.netvirt.bench.Workload;
import io.github.netvirt.bench.netvirt.NetvirtTopos;
import java.io.File;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;

/**
 * What a live topology holds: Java heap (after full GCs), direct (native) buffer memory, live
 * threads and open file descriptors, with a 100-host star up, against the same JVM with none
 * (after one warm-up build and teardown, so that class loading is not counted).
 * Prints {@code memory <workload> <system> heap_kib=.. direct_kib=.. threads=.. fds=..}.
 */
public final class MemoryBench extends Workload {

    public MemoryBench(Main.Options o, Report report) {
        super(o, report);
    }

    @Override
    public void run() throws Exception {
        int n = 100;
        Topo warm = NetvirtTopos.star("bn" + o.token + "m-", n);
        Topo live = NetvirtTopos.star("bn" + o.token + "n-", n);
        Runnable c1 = warm::cleanup;
        Runnable c2 = live::cleanup;
        Cleanup.register(c1);
        Cleanup.register(c2);
        try {
            warm.up();
            warm.down();
            Thread.sleep(1000); // idle pool threads time out, the kernel finishes the teardown
            long[] before = sample();
            live.up();
            long[] during = sample();
            live.down();
            Thread.sleep(6000); // netvirt's idle threads time out (5 s)
            long[] after = sample();
            report.note("memory: held = with the topology up minus before; after = once it is torn down, minus before");
            String w = "memory star-" + n + " " + live.system();
            report.note("raw before/up/after: heap=" + before[0] + "/" + during[0] + "/" + after[0] + " B direct="
                    + before[1] + "/" + during[1] + "/" + after[1] + " B threads=" + before[2] + "/" + during[2] + "/"
                    + after[2] + " fds=" + before[3] + "/" + during[3] + "/" + after[3]);
            print(w + " held", before, during);
            print(w + " after-close", before, after);
        } finally {
            warm.cleanup();
            live.cleanup();
            Cleanup.unregister(c1);
            Cleanup.unregister(c2);
        }
    }

    private void print(String what, long[] a, long[] b) {
        report.line(
                what,
                "heap_kib=" + (b[0] - a[0]) / 1024 + " direct_kib=" + (b[1] - a[1]) / 1024 + " threads=" + (b[2] - a[2])
                        + " fds=" + (b[3] - a[3]));
    }

    /** heap used after full GCs, direct buffer bytes, live threads, open fds. */
    private static long[] sample() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long direct = 0;
        for (BufferPoolMXBean p : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (p.getName().equals("direct")) {
                direct = p.getMemoryUsed();
            }
        }
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        String[] fds = new File("/proc/self/fd").list();
        return new long[] {heap, direct, threads, fds == null ? -1 : fds.length};
    }
}
