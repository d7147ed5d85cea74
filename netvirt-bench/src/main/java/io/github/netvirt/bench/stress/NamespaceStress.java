package io.github.netvirt.bench.stress;

import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Namespace handles opened, used and closed by 8 threads at once, with a closer thread closing half
 * of them while they are in use. Each use checks that it ran in the namespace it asked for: 16 named
 * namespaces each have their own address on {@code lo} ({@code 10.213.K.1}), so a socket or netlink
 * handle made in the wrong one cannot bind that address or does not see it, and code run inside
 * compares the thread's namespace with the one recorded at set-up.
 *
 * <p>Outcomes: {@code ok} (right namespace), {@code mismatch} (another namespace: the defect),
 * {@code refused} ({@link IllegalStateException}: the handle was closed first, as documented),
 * {@code error} (anything else, e.g. setns EBADF on a closed fd), {@code hang} (a worker still busy
 * {@link #HANG_SECONDS} after the last use was handed out).
 */
public final class NamespaceStress {
    public static final int NAMESPACES = 16;
    public static final int THREADS = 8;
    static final int HANG_SECONDS = 60;

    /** The uses, each of a different entry point. */
    public enum Use {
        CALL,
        SOCKET_FACTORY,
        SERVER_SOCKET_FACTORY,
        NETLINK_OPEN,
        INSIDE_EACH
    }

    public enum Outcome {
        OK,
        MISMATCH,
        REFUSED,
        ERROR
    }

    /** Counts by use and outcome, the first few error texts, the number of hung workers, the wall time. */
    public record Result(Map<Use, long[]> counts, List<String> samples, int hung, double seconds) {
        public long total(Outcome o) {
            return counts.values().stream().mapToLong(c -> c[o.ordinal()]).sum();
        }

        /** e.g. {@code uses=10000 ok=9000 mismatch=0 refused=1000 error=0 hang=0}. */
        public String summary() {
            StringBuilder s = new StringBuilder("uses="
                    + counts.values().stream()
                            .mapToLong(c -> Arrays.stream(c).sum())
                            .sum());
            for (Outcome o : Outcome.values()) {
                s.append(' ').append(o.name().toLowerCase()).append('=').append(total(o));
            }
            return s.append(" hang=")
                    .append(hung)
                    .append(" seconds=")
                    .append(String.format("%.1f", seconds))
                    .toString();
        }

        public String line(Use u) {
            long[] c = counts.get(u);
            StringBuilder s = new StringBuilder("use=" + u.name().toLowerCase());
            for (Outcome o : Outcome.values()) {
                s.append(' ').append(o.name().toLowerCase()).append('=').append(c[o.ordinal()]);
            }
            return s.toString();
        }
    }

    private final String prefix;
    private final List<String> names = new ArrayList<>();
    private final List<String> ids = new ArrayList<>();
    private final List<InetAddress> addresses = new ArrayList<>();

    /** {@code prefix} names the namespaces ({@code prefix-0} .. {@code prefix-15}): unique per run. */
    public NamespaceStress(String prefix) {
        this.prefix = prefix;
    }

    /** Creates the namespaces and their addresses. */
    public void setUp() throws Exception {
        for (int k = 0; k < NAMESPACES; k++) {
            String name = prefix + "-" + k;
            try (NetNamespace ns = NetNamespace.create(name);
                    NetlinkHandle h = NetlinkHandle.open(ns)) {
                InetAddress a = InetAddress.getByName("10.213." + k + ".1");
                h.addrAdd("lo", IpPrefix.parse(a.getHostAddress() + "/32"));
                names.add(name);
                ids.add(ns.id());
                addresses.add(a);
            }
        }
    }

    /** Deletes the namespaces made by {@link #setUp()}. */
    public void tearDown() {
        for (String name : names) {
            if (NetNamespace.exists(name)) {
                NetNamespace.delete(name);
            }
        }
        names.clear();
    }

    public Result run(int uses) throws InterruptedException {
        Map<Use, AtomicLongArray> counts = new EnumMap<>(Use.class);
        for (Use u : Use.values()) {
            counts.put(u, new AtomicLongArray(Outcome.values().length));
        }
        ConcurrentLinkedQueue<String> samples = new ConcurrentLinkedQueue<>();
        AtomicInteger left = new AtomicInteger(uses);
        BlockingQueue<NetNamespace> toClose = new ArrayBlockingQueue<>(THREADS * 2);
        AtomicInteger working = new AtomicInteger(THREADS);
        Thread closer = new Thread(
                () -> {
                    try {
                        while (working.get() > 0 || !toClose.isEmpty()) {
                            NetNamespace ns = toClose.poll(10, TimeUnit.MILLISECONDS);
                            if (ns != null) {
                                ns.close();
                            }
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "stress-closer");
        closer.setDaemon(true);
        closer.start();
        long t0 = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < THREADS; w++) {
            Thread t = new Thread(
                    () -> {
                        ThreadLocalRandom rnd = ThreadLocalRandom.current();
                        while (left.getAndDecrement() > 0) {
                            Use use = Use.values()[rnd.nextInt(Use.values().length)];
                            int k = rnd.nextInt(NAMESPACES);
                            Outcome o;
                            try {
                                o = once(use, k, rnd.nextBoolean() ? toClose : null, rnd);
                            } catch (IllegalStateException e) {
                                o = Outcome.REFUSED;
                            } catch (Throwable e) {
                                o = Outcome.ERROR;
                                if (samples.size() < 20) {
                                    samples.add(use + ": " + e);
                                }
                            }
                            counts.get(use).incrementAndGet(o.ordinal());
                        }
                        working.decrementAndGet();
                    },
                    "stress-" + w);
            t.setDaemon(true);
            t.start();
            workers.add(t);
        }
        int hung = 0;
        for (Thread t : workers) {
            long wait = TimeUnit.SECONDS.toMillis(HANG_SECONDS) - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            t.join(Math.max(1, wait));
            if (t.isAlive()) {
                hung++;
                StringBuilder where = new StringBuilder(t.getName() + " hung at");
                for (StackTraceElement e : t.getStackTrace()) {
                    where.append("\n  ").append(e);
                }
                samples.add(where.toString());
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        closer.join(5000);
        Map<Use, long[]> result = new EnumMap<>(Use.class);
        counts.forEach((u, c) -> {
            long[] a = new long[c.length()];
            for (int i = 0; i < a.length; i++) {
                a[i] = c.get(i);
            }
            result.put(u, a);
        });
        return new Result(result, List.copyOf(samples), hung, seconds);
    }

    /** Opens namespace {@code k}, maybe hands it to the closer, uses it once and closes it. */
    private Outcome once(Use use, int k, BlockingQueue<NetNamespace> closer, ThreadLocalRandom rnd) throws Exception {
        NetNamespace ns = NetNamespace.open(names.get(k));
        NetNamespace other = null;
        try {
            if (closer != null) {
                closer.put(ns);
            }
            return switch (use) {
                case CALL -> ns.call(NetNamespace::currentThreadId).equals(ids.get(k)) ? Outcome.OK : Outcome.MISMATCH;
                case SOCKET_FACTORY -> {
                    try (Socket s = ns.socketFactory().createSocket()) {
                        s.bind(new InetSocketAddress(addresses.get(k), 0));
                        yield Outcome.OK;
                    } catch (BindException e) {
                        yield Outcome.MISMATCH; // Cannot assign requested address: not this namespace
                    }
                }
                case SERVER_SOCKET_FACTORY -> {
                    try (ServerSocket s = ns.serverSocketFactory().createServerSocket(0, 1, addresses.get(k))) {
                        yield Outcome.OK;
                    } catch (BindException e) {
                        yield Outcome.MISMATCH;
                    }
                }
                case NETLINK_OPEN -> {
                    try (NetlinkHandle h = NetlinkHandle.open(ns)) {
                        yield h.addrList("lo").stream()
                                        .anyMatch(a -> a.prefix().address().equals(addresses.get(k)))
                                ? Outcome.OK
                                : Outcome.MISMATCH;
                    }
                }
                case INSIDE_EACH -> {
                    int j = (k + 1 + rnd.nextInt(NAMESPACES - 1)) % NAMESPACES;
                    other = NetNamespace.open(names.get(j));
                    List<String> seen =
                            NetNamespace.insideEach(List.of(ns, other), n -> NetNamespace.currentThreadId());
                    yield seen.equals(List.of(ids.get(k), ids.get(j))) ? Outcome.OK : Outcome.MISMATCH;
                }
                default -> throw new AssertionError(use);
            };
        } finally {
            ns.close();
            if (other != null) {
                other.close();
            }
        }
    }
}
