package io.github.netvirt.bench.profile;

import io.github.netvirt.bench.Cleanup;
import io.github.netvirt.bench.Main;
import io.github.netvirt.bench.Report;
import io.github.netvirt.bench.Stats;
import io.github.netvirt.bench.Workload;
import io.github.netvirt.bench.tap.TapWriteCost;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.LibC;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Where the time of a star's apply goes, piece by piece: each piece done 100 times in a row, the
 * bare syscalls next to netvirt's call that does the same, round-robin over R rounds.
 * Prints {@code result profile-100x <piece> median_ms=..} (milliseconds per 100 operations).
 */
public final class ProfileBench extends Workload {
    private static final int K = 100;
    private static final byte[] THREAD_NS = LibC.path("/proc/thread-self/ns/net");
    private static final byte[] NONE = LibC.path("none");

    public ProfileBench(Main.Options o, Report report) {
        super(o, report);
    }

    @Override
    public void run() throws Exception {
        List<NetNamespace> open = new ArrayList<>();
        List<String> named = new ArrayList<>();
        Runnable clean = () -> {
            synchronized (open) {
                open.forEach(NetNamespace::close);
                open.clear();
                for (String n : named) {
                    if (NetNamespace.exists(n)) {
                        NetNamespace.delete(n);
                    }
                }
                named.clear();
            }
        };
        Cleanup.register(clean);
        Map<String, Stats> by = new LinkedHashMap<>();
        try {
            for (int round = 0; round < o.warmup + o.runs; round++) {
                boolean keep = round >= o.warmup;
                String p = "bn" + o.token + "p" + round + "-";
                time(by, keep, "raw-unshare", () -> raw(false, null));
                time(by, keep, "raw-unshare+lo-up", () -> raw(true, null));
                time(by, keep, "raw-named(file+unshare+bind-mount)", () -> raw(false, p + "r"));
                time(by, keep, "NetNamespace.ephemeral", () -> {
                    for (int i = 0; i < K; i++) {
                        open.add(NetNamespace.ephemeral());
                    }
                    return null;
                });
                time(by, keep, "NetNamespace.inside(no-op)", () -> {
                    for (int i = 0; i < K; i++) {
                        open.get(i).inside(() -> 0);
                    }
                    return null;
                });
                // held, as a live topology holds its handles' buffers
                List<ByteBuffer> held = new ArrayList<>();
                time(by, keep, "ByteBuffer.allocateDirect(256K+64K),held", () -> {
                    for (int i = 0; i < K; i++) {
                        held.add(ByteBuffer.allocateDirect(256 * 1024));
                        held.add(ByteBuffer.allocateDirect(64 * 1024));
                    }
                    return null;
                });
                held.clear();
                List<NetlinkHandle> handles = new ArrayList<>();
                time(by, keep, "NetlinkHandle.open", () -> {
                    for (int i = 0; i < K; i++) {
                        handles.add(NetlinkHandle.open(open.get(i)));
                    }
                    return null;
                });
                time(by, keep, "NetlinkHandle.close", () -> {
                    handles.forEach(NetlinkHandle::close);
                    return null;
                });
                clean.run();
                time(by, keep, "NetNamespace.create(named)", () -> {
                    for (int i = 0; i < K; i++) {
                        named.add(p + "n" + i);
                        open.add(NetNamespace.create(p + "n" + i));
                    }
                    return null;
                });
                time(by, keep, "NetNamespace.delete(named)", () -> {
                    synchronized (open) {
                        open.forEach(NetNamespace::delete);
                        open.clear();
                        named.clear();
                    }
                    return null;
                });
                System.gc();
                Thread.sleep(300);
            }
        } finally {
            clean.run();
            Cleanup.unregister(clean);
        }
        report.note("profile: milliseconds per " + K + " operations, median of " + o.runs + " rounds");
        report.workload("profile-" + K + "x", "ms", by, null);
        idle();
        TapWriteCost.run(report, o.warmup, o.runs);
    }

    /**
     * One call at a time after 50 ms of idleness, as a small topology's apply makes them: the cost
     * of waking netvirt's parked switching thread (one hand-off per call) on a busy machine.
     */
    private void idle() throws Exception {
        Map<String, Stats> by = new LinkedHashMap<>();
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            for (int i = 0; i < 5 + 10 * o.runs; i++) {
                Thread.sleep(50);
                long t0 = System.nanoTime();
                ns.inside(() -> 0);
                double ms = (System.nanoTime() - t0) / 1e6;
                Thread.sleep(50);
                t0 = System.nanoTime();
                NetNamespace.ephemeral().close();
                double ms2 = (System.nanoTime() - t0) / 1e6;
                Thread.sleep(50);
                Throwable[] err = new Throwable[1];
                t0 = System.nanoTime();
                Thread t = new Thread(() -> {
                    try {
                        int root = LibC.open(THREAD_NS, LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
                        LibC.unshare(LibC.CLONE_NEWNET);
                        LibC.setns(root, LibC.CLONE_NEWNET);
                        LibC.close(root);
                    } catch (Throwable e) {
                        err[0] = e;
                    }
                });
                t.start();
                t.join();
                double ms3 = (System.nanoTime() - t0) / 1e6;
                if (err[0] != null) {
                    throw new IllegalStateException(err[0]);
                }
                if (i >= 5) {
                    by.computeIfAbsent("NetNamespace.inside(no-op)", k -> new Stats())
                            .add(ms);
                    by.computeIfAbsent("NetNamespace.ephemeral+close", k -> new Stats())
                            .add(ms2);
                    by.computeIfAbsent("new-thread+raw-unshare+setns-back", k -> new Stats())
                            .add(ms3);
                }
            }
        }
        report.note("profile: one call after 50 ms idle (milliseconds per call)");
        report.workload("profile-idle-1x", "ms", by, null);
    }

    private static void time(Map<String, Stats> by, boolean keep, String what, Callable<?> task) throws Exception {
        long t0 = System.nanoTime();
        task.call();
        double ms = (System.nanoTime() - t0) / 1e6;
        if (keep) {
            by.computeIfAbsent(what, k -> new Stats()).add(ms);
        }
    }

    /** {@code K} namespaces made on one fresh platform thread with bare syscalls (named: as ip netns add). */
    private Object raw(boolean loUp, String namePrefix) throws Exception {
        Throwable[] failure = new Throwable[1];
        List<String> made = new ArrayList<>();
        Thread t = new Thread(
                () -> {
                    int root = LibC.open(THREAD_NS, LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
                    int[] fds = new int[K];
                    try {
                        for (int i = 0; i < K; i++) {
                            String path = namePrefix == null ? null : "/run/netns/" + namePrefix + i;
                            if (path != null) {
                                LibC.close(LibC.open(
                                        LibC.path(path),
                                        LibC.O_RDONLY | LibC.O_CREAT | LibC.O_EXCL | LibC.O_CLOEXEC,
                                        0));
                                made.add(path);
                            }
                            LibC.unshare(LibC.CLONE_NEWNET);
                            if (path != null) {
                                LibC.mount(THREAD_NS, LibC.path(path), NONE, LibC.MS_BIND, null);
                            }
                            if (loUp) {
                                int s = LibC.socket(LibC.AF_INET, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
                                byte[] ifr = new byte[40];
                                ifr[0] = 'l';
                                ifr[1] = 'o';
                                LibC.ioctl(s, 0x8913, ifr);
                                ifr[16] |= 1;
                                LibC.ioctl(s, 0x8914, ifr);
                                LibC.close(s);
                            }
                            fds[i] = LibC.open(THREAD_NS, LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
                        }
                    } catch (Throwable e) {
                        failure[0] = e;
                    } finally {
                        LibC.setns(root, LibC.CLONE_NEWNET);
                        LibC.close(root);
                        for (int fd : fds) {
                            if (fd > 0) {
                                LibC.close(fd);
                            }
                        }
                    }
                },
                "profile-raw");
        t.start();
        t.join();
        for (String path : made) {
            LibC.umount2(LibC.path(path), LibC.MNT_DETACH);
            LibC.unlink(LibC.path(path));
        }
        if (failure[0] != null) {
            throw new IllegalStateException(failure[0]);
        }
        return null;
    }
}
