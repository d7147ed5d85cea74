package io.github.netvirt.bench.floor;

import com.sun.jna.LastErrorException;
import io.github.netvirt.bench.Phases;
import io.github.netvirt.bench.Topo;
import io.github.netvirt.netns.internal.LibC;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The floor: a bridge namespace and N host namespaces, each host joined to the bridge by a veth
 * with an address, made with the bare syscalls and hand-encoded netlink messages, no library
 * around them. Named namespaces exactly as {@code ip netns add} makes them (file under /run/netns,
 * unshare, bind mount), one netlink socket per namespace, veth creation pipelined in chunks on the
 * bridge namespace's socket. {@link #star} gives star.sh's end state (bridge pbbr up; pbh&lt;i&gt;
 * master pbbr, up; pbeth up with 10.213.i/256.i%256/16; lo down), {@link #seed} the recipe's.
 *
 * <p>{@link #onTwoThreads} (system {@code floor-lo2} with {@link #withLoopbackUp}) makes the
 * namespaces as netvirt-netns's {@code NetNamespace.ephemeral(count, each)} does for netvirt-core
 * from two namespaces up: on the floor's thread and at the same time on a second platform thread
 * kept for the next run (netvirt-netns keeps its switching threads 30 s), each taking the next
 * namespace neither has taken until none is left, unsharing, bind-mounting, opening the namespace's
 * socket and bringing lo up for it; the floor's thread then waits for the second and does everything
 * else alone. Which thread makes which depends on when the second gets a CPU, as for netvirt's.
 */
public final class Floor implements Topo {
    static final String RUN_NETNS = "/run/netns/";
    private static final byte[] THREAD_NS = LibC.path("/proc/thread-self/ns/net");
    private static final byte[] NONE = LibC.path("none");
    private static final int CHUNK = 64; // requests per sendto: their acks fit the default receive buffer
    private static final int AF_INET = 2;
    /**
     * The phase that makes the namespaces (file, unshare, bind mount, namespace fd, and lo up for
     * floor-lo), what {@code NetNamespace.create} does; the netlink socket opened in each namespace
     * is phase {@link #SOCKETS}. Both are marked once per namespace and summed by {@link Phases}.
     */
    public static final String NAMESPACES = "namespaces";

    /** The phase that opens a netlink socket in each namespace (as the namespace is made). */
    public static final String SOCKETS = "sockets";

    private final int n;
    private final String bridgeNs;
    private final String bridge;
    private final String[] hostNs;
    private final String[] port;
    private final String[] peer;
    private final byte[][] addr;
    private final int prefixLen;
    private final boolean loopbackUp;
    private final boolean twoThreads;
    /** What {@link #withPromises} adds, null without. */
    private final Promises promises;

    private final ExecutorService thread;
    /** The second thread of {@link #onTwoThreads}, null on one thread. */
    private final ExecutorService second;

    /** The namespaces made and not yet removed, each with the name of the thread that made it. */
    private final Map<String, String> made = new ConcurrentHashMap<>();

    /**
     * With {@link #withPromises}: each namespace's fd, by name, held from its up to its down, where
     * the name is proven to still hold it before it is removed (as netvirt's close does).
     */
    private final Map<String, Integer> held = new ConcurrentHashMap<>();

    private final Phases phases = new Phases();

    /** star.sh's star with {@code n} hosts, namespaces named {@code prefix + "br"} and {@code prefix + "h" + i}. */
    public static Floor star(String prefix, int n) {
        String[] hosts = new String[n + 1];
        String[] ports = new String[n + 1];
        String[] peers = new String[n + 1];
        byte[][] addrs = new byte[n + 1][];
        for (int i = 1; i <= n; i++) {
            hosts[i] = prefix + "h" + i;
            ports[i] = "pbh" + i;
            peers[i] = "pbeth";
            addrs[i] = new byte[] {10, (byte) 213, (byte) (i / 256), (byte) (i % 256)};
        }
        return new Floor(prefix + "br", "pbbr", hosts, ports, peers, addrs, 16, false, false, false);
    }

    /** The seed recipe's network, namespaces named {@code prefix + "net0"}, {@code "net1"}, {@code "bridge"}. */
    public static Floor seed(String prefix) {
        return new Floor(
                prefix + "bridge",
                "br",
                new String[] {null, prefix + "net0", prefix + "net1"},
                new String[] {null, "bridge-net0", "bridge-net1"},
                new String[] {null, "net0-bridge", "net1-bridge"},
                new byte[][] {null, {10, 0, 1, 1}, {10, 0, 1, 2}},
                24,
                false,
                false,
                false);
    }

    private Floor(
            String bridgeNs,
            String bridge,
            String[] hostNs,
            String[] port,
            String[] peer,
            byte[][] addr,
            int prefixLen,
            boolean loopbackUp,
            boolean twoThreads,
            boolean promised) {
        this.n = hostNs.length - 1;
        this.bridgeNs = bridgeNs;
        this.bridge = bridge;
        this.hostNs = hostNs;
        this.port = port;
        this.peer = peer;
        this.addr = addr;
        this.prefixLen = prefixLen;
        this.loopbackUp = loopbackUp;
        this.twoThreads = twoThreads;
        this.promises = promised ? new Promises() : null;
        // platform threads, born in the root namespace; they unshare and always setns back
        this.thread = Executors.newSingleThreadExecutor(r -> platformThread(r, "floor"));
        this.second = twoThreads ? Executors.newSingleThreadExecutor(r -> platformThread(r, "floor-2")) : null;
    }

    private static Thread platformThread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * The same floor with {@code lo} brought up in each namespace as it is made (system
     * {@code floor-lo}): what netvirt does and the peers do not.
     */
    public Floor withLoopbackUp() {
        return new Floor(bridgeNs, bridge, hostNs, port, peer, addr, prefixLen, true, twoThreads, promises != null);
    }

    /**
     * The same floor making its namespaces on two threads as netvirt does (see the class comment):
     * system {@code floor-lo2} with {@link #withLoopbackUp}, {@code floor2} without.
     */
    public Floor onTwoThreads() {
        return new Floor(bridgeNs, bridge, hostNs, port, peer, addr, prefixLen, loopbackUp, true, promises != null);
    }

    /**
     * The same floor with lo up and the system calls of netvirt's promises besides ({@link Promises}):
     * system {@code floor-rec2} with {@link #onTwoThreads}, {@code floor-rec} without.
     */
    public Floor withPromises() {
        return new Floor(bridgeNs, bridge, hostNs, port, peer, addr, prefixLen, true, twoThreads, true);
    }

    @Override
    public String system() {
        return "floor" + (promises != null ? "-rec" : loopbackUp ? "-lo" : "") + (twoThreads ? "2" : "");
    }

    @Override
    public Phases phases() {
        return phases;
    }

    @Override
    public void up() throws Exception {
        try {
            thread.submit(() -> {
                        build();
                        return null;
                    })
                    .get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    private void build() throws Exception {
        int root = LibC.open(THREAD_NS, LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
        String[] names = new String[n + 1];
        int[] nsFds = new int[n + 1];
        RawNetlink[] socks = new RawNetlink[n + 1];
        Future<List<Mark>> rest = null;
        try {
            sharedRunNetns();
            if (promises != null) {
                promises.begin(bridgeNs + " " + String.join(" ", Arrays.copyOfRange(hostNs, 1, n + 1)));
            }
            names[0] = bridgeNs;
            for (int i = 1; i <= n; i++) {
                names[i] = hostNs[i];
            }
            // each thread takes the next namespace neither has taken, until none is left
            AtomicInteger next = new AtomicInteger();
            CountDownLatch namesTaken = new CountDownLatch(promises != null ? 1 : 0);
            if (twoThreads && n + 1 >= 2) {
                rest = second.submit(() -> {
                    List<Mark> marks = new ArrayList<>();
                    namespaces(root, names, nsFds, socks, next, namesTaken, (p, t) -> marks.add(new Mark(p, t)));
                    return marks;
                });
            }
            long mine;
            try {
                if (promises != null) { // as netvirt: the names in name order, while the other thread unshares
                    String[] ordered = names.clone();
                    Arrays.sort(ordered);
                    try {
                        for (String name : ordered) {
                            promises.reserve(name, LibC.path(RUN_NETNS + name));
                        }
                    } finally {
                        namesTaken.countDown(); // a name not taken fails its thread (Promises#name)
                    }
                }
                mine = namespaces(root, names, nsFds, socks, next, namesTaken, phases::mark);
            } catch (Throwable e) {
                if (rest != null) {
                    try {
                        awaitSecond(rest, Long.MAX_VALUE);
                    } catch (Exception other) {
                        e.addSuppressed(other);
                    }
                }
                throw e;
            }
            if (rest != null) {
                awaitSecond(rest, mine);
                phases.mark(NAMESPACES);
            }
            NlBuf m = new NlBuf(CHUNK * 256);
            m.begin(NlBuf.RTM_NEWLINK, NlBuf.CREATE)
                    .ifinfomsg(0, NlBuf.IFF_UP, NlBuf.IFF_UP)
                    .str(NlBuf.IFLA_IFNAME, bridge);
            int li = m.nest(NlBuf.IFLA_LINKINFO);
            m.str(NlBuf.IFLA_INFO_KIND, "bridge").endNest(li).end();
            socks[0].send(m);
            socks[0].acks(1);
            int bridgeIndex = socks[0].linkIndex(m, bridge);
            phases.mark("bridge");
            for (int from = 1; from <= n; from += CHUNK) {
                int to = Math.min(n, from + CHUNK - 1);
                m.clear();
                for (int i = from; i <= to; i++) {
                    m.begin(NlBuf.RTM_NEWLINK, NlBuf.CREATE)
                            .ifinfomsg(0, NlBuf.IFF_UP, NlBuf.IFF_UP)
                            .str(NlBuf.IFLA_IFNAME, port[i])
                            .u32(NlBuf.IFLA_MASTER, bridgeIndex);
                    int info = m.nest(NlBuf.IFLA_LINKINFO);
                    m.str(NlBuf.IFLA_INFO_KIND, "veth");
                    int data = m.nest(NlBuf.IFLA_INFO_DATA);
                    int peerAt = m.nest(NlBuf.VETH_INFO_PEER);
                    // the peer is born in its namespace; it cannot be born up (veth_open: ENOTCONN)
                    m.ifinfomsg(0, 0, 0).str(NlBuf.IFLA_IFNAME, peer[i]).u32(NlBuf.IFLA_NET_NS_FD, nsFds[i]);
                    m.endNest(peerAt).endNest(data).endNest(info).end();
                }
                socks[0].send(m);
                socks[0].acks(to - from + 1);
            }
            phases.mark("veths");
            // in a fresh namespace lo is ifindex 1 and the first device made there gets 2: a wrong
            // guess would fail these requests with ENODEV, not pass silently
            for (int i = 1; i <= n; i++) {
                m.clear();
                m.begin(NlBuf.RTM_NEWADDR, NlBuf.CREATE).ifaddrmsg(AF_INET, prefixLen, 2);
                m.bytes(NlBuf.IFA_LOCAL, addr[i])
                        .bytes(NlBuf.IFA_ADDRESS, addr[i])
                        .end();
                m.begin(NlBuf.RTM_NEWLINK, NlBuf.NLM_F_REQUEST | NlBuf.NLM_F_ACK)
                        .ifinfomsg(2, NlBuf.IFF_UP, NlBuf.IFF_UP)
                        .end();
                socks[i].send(m);
            }
            for (int i = 1; i <= n; i++) {
                socks[i].acks(2);
            }
            if (promises != null) { // as netvirt: the lower devices, then the bridge
                for (int i = 1; i <= n; i++) {
                    Promises.activate(socks[0].fd(), port[i]);
                    Promises.activate(socks[i].fd(), peer[i]);
                }
                Promises.activate(socks[0].fd(), bridge);
            }
            phases.mark("addresses+up");
        } finally {
            for (int i = 0; i <= n; i++) {
                if (socks[i] != null) {
                    socks[i].close();
                }
                if (nsFds[i] > 0) {
                    if (promises != null && made.containsKey(names[i])) {
                        held.put(names[i], nsFds[i]);
                    } else {
                        LibC.close(nsFds[i]);
                    }
                }
            }
            LibC.close(root);
            phases.mark("close-fds");
        }
    }

    /** Where a thread making namespaces marks its phases: {@link Phases#mark(String, long)} or a record of it. */
    private interface Marker {
        void mark(String phase, long nanos);
    }

    /** A phase mark the second thread took, at {@code nanos} (System.nanoTime). */
    private record Mark(String phase, long nanos) {}

    /**
     * Makes the namespaces of {@code names} on the calling thread, each the next one no thread has
     * taken ({@code next}) until none is left, each with its fd, its netlink socket and (floor-lo) lo
     * up, and returns the thread to namespace {@code root}. Returns the time (System.nanoTime) of its
     * last mark.
     */
    private long namespaces(
            int root,
            String[] names,
            int[] nsFds,
            RawNetlink[] socks,
            AtomicInteger next,
            CountDownLatch namesTaken,
            Marker phase)
            throws IOException, InterruptedException {
        try {
            for (int i = next.getAndIncrement(); i < names.length; i = next.getAndIncrement()) {
                byte[] path = LibC.path(RUN_NETNS + names[i]);
                if (promises == null) {
                    LibC.close(LibC.open(path, LibC.O_RDONLY | LibC.O_CREAT | LibC.O_EXCL | LibC.O_CLOEXEC, 0));
                    made.put(names[i], Thread.currentThread().getName());
                }
                LibC.unshare(LibC.CLONE_NEWNET);
                if (promises == null) {
                    LibC.mount(THREAD_NS, path, NONE, LibC.MS_BIND, null);
                }
                nsFds[i] = LibC.open(THREAD_NS, LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
                phase.mark(NAMESPACES, System.nanoTime());
                socks[i] = new RawNetlink();
                phase.mark(SOCKETS, System.nanoTime());
                if (loopbackUp) {
                    NlBuf lo = new NlBuf(64);
                    lo.begin(NlBuf.RTM_NEWLINK, NlBuf.NLM_F_REQUEST | NlBuf.NLM_F_ACK)
                            .ifinfomsg(1, NlBuf.IFF_UP, NlBuf.IFF_UP)
                            .end();
                    socks[i].send(lo);
                    socks[i].acks(1);
                    phase.mark(NAMESPACES, System.nanoTime());
                }
                if (promises != null) {
                    String name = names[i];
                    namesTaken.await();
                    promises.name(
                            name,
                            path,
                            THREAD_NS,
                            NONE,
                            socks[i].fd(),
                            () -> made.put(name, Thread.currentThread().getName()));
                    phase.mark(NAMESPACES, System.nanoTime());
                }
            }
        } finally {
            LibC.setns(root, LibC.CLONE_NEWNET);
        }
        long end = System.nanoTime();
        phase.mark(NAMESPACES, end);
        return end;
    }

    /**
     * Waits for the second thread's namespaces (they are used and closed on this thread after) and
     * charges the wait to what that thread was doing meanwhile: its marks after {@code mine}, this
     * thread's last, in order, so that namespaces and sockets split the wall time as on one thread.
     */
    private void awaitSecond(Future<List<Mark>> rest, long mine) throws Exception {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    for (Mark m : rest.get()) {
                        if (m.nanos() > mine) {
                            phases.mark(m.phase(), m.nanos());
                        }
                    }
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception ex ? ex : e;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void sharedRunNetns() {
        try {
            LibC.mkdir(LibC.path("/run/netns"), 0755);
        } catch (LastErrorException e) {
            // EEXIST: the usual case
        }
        try {
            LibC.mount(LibC.path(""), LibC.path("/run/netns"), NONE, LibC.MS_SHARED | LibC.MS_REC, null);
        } catch (LastErrorException e) {
            byte[] dir = LibC.path("/run/netns");
            LibC.mount(dir, dir, NONE, LibC.MS_BIND | LibC.MS_REC, null);
            LibC.mount(LibC.path(""), dir, NONE, LibC.MS_SHARED | LibC.MS_REC, null);
        }
    }

    /** The namespaces made by the last {@link #up} and not yet removed, by name: the thread that made each. */
    Map<String, String> madeBy() {
        return Map.copyOf(made);
    }

    @Override
    public void down() {
        // as `ip netns del`: detach the bind mount and remove the file; the kernel does the rest.
        // Hosts first, the bridge namespace last, in the peers' order (star.sh's down).
        for (int i = 1; i <= n + 1; i++) {
            String name = i <= n ? hostNs[i] : bridgeNs;
            if (made.remove(name) != null) {
                Integer fd = held.remove(name);
                try {
                    if (fd == null || Promises.stillNames(name, fd)) {
                        LibC.umount2(LibC.path(RUN_NETNS + name), LibC.MNT_DETACH);
                        LibC.unlink(LibC.path(RUN_NETNS + name));
                    }
                } finally {
                    if (fd != null) {
                        LibC.close(fd);
                    }
                }
            }
        }
        if (promises != null) {
            promises.end();
        }
    }

    @Override
    public synchronized void cleanup() {
        // the threads first: a namespace one of them is still making is in made when they stop
        for (ExecutorService t : second == null ? List.of(thread) : List.of(thread, second)) {
            t.shutdown();
            try {
                t.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (String name : new ArrayList<>(made.keySet())) {
            try {
                LibC.umount2(LibC.path(RUN_NETNS + name), LibC.MNT_DETACH);
            } catch (LastErrorException ignored) {
                // not mounted: the file alone is left
            }
            try {
                LibC.unlink(LibC.path(RUN_NETNS + name));
            } catch (LastErrorException ignored) {
                // gone already
            }
        }
        made.clear();
        held.values().forEach(LibC::close);
        held.clear();
        if (promises != null) {
            promises.end();
        }
    }
}
