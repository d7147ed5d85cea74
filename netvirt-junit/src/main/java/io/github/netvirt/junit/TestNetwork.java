package io.github.netvirt.junit;

import io.github.netvirt.core.Topology;
import io.github.netvirt.core.TopologyBuilder;
import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.NamespaceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.faults.Fault;
import io.github.netvirt.faults.FaultSchedule;
import io.github.netvirt.faults.OneWayLoss;
import io.github.netvirt.faults.Partition;
import io.github.netvirt.faults.RateLimit;
import io.github.netvirt.faults.Reachability;
import io.github.netvirt.faults.ReachabilityReport;
import io.github.netvirt.faults.ScheduleRun;
import io.github.netvirt.faults.ScheduledFault;
import io.github.netvirt.faults.impair.Endpoint;
import io.github.netvirt.faults.impair.ImpairedLink;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.EachOf;
import io.github.netvirt.tap.impair.Impairment;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A network described for a test, built and removed by {@link NetvirtExtension} around the scope
 * of its {@link Network @Network} field, like a Testcontainers container. Between those points
 * {@link #topology()} is the live network; the fault and reachability helpers address hosts by
 * their logical names.
 *
 * <p><b>Thread safety.</b> A test network is safe for use by many threads. Its calls on the live
 * network ({@link #namespace}, {@link #down}, {@link #up}, {@link #partition}, {@link #rateLimit},
 * {@link #drop}, {@link #impair}, {@link #pingAll}, {@link #awaitReachable}) run concurrently;
 * the extension's close of the network waits until those in progress have finished. Each call
 * therefore completes, or throws {@code IllegalStateException} with the one message for a network
 * outside its scope: "this network is not running: ..." (before the scope, during or after the
 * close, or after {@code topology().close()}, which the message then names).
 *
 * <p><b>One object, one network.</b> Several scopes may reach the same object: a static field in a
 * base class is shared by the subclasses running at the same time (the first builds it, the last
 * closes it); an instance field is built for one test method at a time. A test that closes a shared
 * network through {@code topology().close()} ends it for the classes using it at that moment (their
 * calls then say so), not for those that come later: as a Testcontainers container stopped by hand
 * is started again by the next {@code start()}, the next class to join builds it again (new
 * namespaces, new kernel names), and the classes still running see that new network from then on.
 *
 * <pre>{@code
 * @NetvirtTest
 * class ClientServerTest {
 *     @Network
 *     static TestNetwork net = TestNetwork.of(Topology.create()
 *             .ns("server").veth("eth0", "client", "eth0").addr("10.0.0.1/24")
 *             .ns("client").dev("eth0").addr("10.0.0.2/24"));
 *
 *     @Test
 *     void survivesACut(@Host("client") NetNamespace client) { ... net.down("client", "eth0"); ... }
 * }
 * }</pre>
 */
public final class TestNetwork implements AutoCloseable {
    /**
     * System property that fixes the seed of impaired links opened without one and of
     * {@link #schedule(Duration, ScheduledFault.Kind...) fault schedules}, to replay a failure.
     */
    public static final String SEED_PROPERTY = "netvirt.seed";

    private final TopologyBuilder builder;
    private final List<Opened> impaired = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Started> schedules = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The fault schedules started and impaired links opened so far, for {@link #started()}. */
    private final java.util.concurrent.atomic.AtomicLong started = new java.util.concurrent.atomic.AtomicLong();

    private volatile Topology topology;
    /** Whether {@link #close()} ended the network (not {@code topology().close()}), for the not-running message. */
    private volatile boolean closed;
    /** Whether {@link #close()} ended it while a scope used it (not the last {@link #leave}), for the not-running message. */
    private volatile boolean closedInUse;
    /** The prefix the description gave ({@code ""} if none), read at the first start; null before it. */
    private String ownPrefix;
    /** The scopes using the running network, guarded by {@code this}. */
    private final List<String> users = new ArrayList<>();
    /** Whether a scope sharing the network failed and asked to keep it; guarded by {@code this}. */
    private boolean keepAsked;
    /** Calls on the live network hold the read lock; close() and keep() the write lock. */
    private final ReentrantReadWriteLock state = new ReentrantReadWriteLock();

    private TestNetwork(TopologyBuilder builder) {
        this.builder = builder;
    }

    /**
     * A network to be built from {@code builder} (which must not be applied by anyone else). The
     * extension adds a prefix unique per scope to the builder's (so {@code .prefix("team-")} gives
     * kernel names such as {@code team-nv2n9c-ou0b-1-server} when they are named: {@code nv}, the JVM's pid and start time, the scope's number) and makes its namespaces
     * ephemeral, or named under {@code keepOnFailure}, whatever {@code .named()} or
     * {@code .ephemeral()} the description says: the logical names stay those of the description.
     * The description is validated when the extension builds the network, not here.
     *
     * @throws NullPointerException if {@code builder} is null
     */
    public static TestNetwork of(TopologyBuilder builder) {
        return new TestNetwork(Objects.requireNonNull(builder, "builder"));
    }

    /**
     * The live topology, while its scope runs.
     *
     * @throws IllegalStateException if the network is not running
     */
    public Topology topology() {
        Topology t = topology;
        if (t == null || !t.isOpen()) {
            throw notRunning(null);
        }
        return t;
    }

    private IllegalStateException notRunning(Throwable cause) {
        return new IllegalStateException("this network is not running: " + whyNotRunning(), cause);
    }

    private String whyNotRunning() {
        if (topology != null && !closed) {
            return "it was closed through topology().close() (its namespaces are gone), before the end of the scope"
                    + " of its @Network field";
        }
        if (closedInUse) {
            return "it was closed through its close(), before the end of the scope of its @Network field";
        }
        return "it exists only within the scope of its @Network field (the class for a static field, each test"
                + " method for an instance field)";
    }

    /** Runs {@code call} on the live topology, which the extension does not close under it. */
    private <T> T live(Function<Topology, T> call) {
        state.readLock().lock();
        try {
            Topology t = topology();
            try {
                return call.apply(t);
            } catch (RuntimeException e) {
                if (!t.isOpen()) { // closed under the call through topology().close()
                    throw notRunning(e);
                }
                throw e;
            }
        } finally {
            state.readLock().unlock();
        }
    }

    /** Whether the network is built and not closed (by the extension or through {@link #topology()}). */
    public boolean isRunning() {
        Topology t = topology;
        return t != null && t.isOpen();
    }

    /**
     * The namespace with logical name {@code ns}.
     *
     * @throws NullPointerException if {@code ns} is null, naming it
     * @throws java.util.NoSuchElementException if the network has no namespace {@code ns}
     * @throws IllegalStateException if the network is not running
     */
    public NetNamespace namespace(String ns) {
        return live(t -> t.namespace(ns));
    }

    /**
     * Cuts a link: {@code ip link set dev DEV down} in {@code ns}.
     *
     * @throws NullPointerException if {@code ns} or {@code dev} is null, naming it
     * @throws java.util.NoSuchElementException if the network has no such namespace or device
     * @throws io.github.netvirt.netlink.NetlinkException if the kernel refuses
     * @throws IllegalStateException if the network is not running
     */
    public void down(String ns, String dev) {
        live(t -> {
            t.down(ns, dev);
            return null;
        });
    }

    /**
     * Restores a link cut by {@link #down}.
     *
     * @throws NullPointerException if {@code ns} or {@code dev} is null, naming it
     * @throws java.util.NoSuchElementException if the network has no such namespace or device
     * @throws io.github.netvirt.netlink.NetlinkException if the kernel refuses
     * @throws IllegalStateException if the network is not running
     */
    public void up(String ns, String dev) {
        live(t -> {
            t.up(ns, dev);
            return null;
        });
    }

    /**
     * Splits the hosts named in {@code sideA} from those in {@code sideB} until the returned fault is healed.
     *
     * @throws java.util.NoSuchElementException if the network has no namespace of one of the names
     * @throws IllegalArgumentException if a side is empty, a host is on both sides or has no global address
     * @throws io.github.netvirt.netlink.NetlinkException if the kernel refuses a rule (nothing is left installed)
     * @throws IllegalStateException if the network is not running
     */
    public Partition partition(List<String> sideA, List<String> sideB) {
        return live(t -> Partition.between(hosts(t, sideA), hosts(t, sideB)));
    }

    /**
     * Limits the egress rate of {@code dev} in host {@code ns} (a tbf qdisc) to {@code bitsPerSecond}
     * until the returned fault is healed (or the network closes).
     *
     * @throws java.util.NoSuchElementException if the network has no namespace {@code ns}
     * @throws IllegalArgumentException if {@code bitsPerSecond} is below 8
     * @throws io.github.netvirt.netlink.NetlinkException ENODEV if there is no such device, or the kernel's refusal
     * @throws IllegalStateException if the network is not running
     */
    public Fault rateLimit(String ns, String dev, long bitsPerSecond) {
        return live(t -> RateLimit.of(bitsPerSecond).on(t.namespace(ns), dev));
    }

    /**
     * Drops every packet from host {@code from} to host {@code to}, not the other way.
     *
     * @throws java.util.NoSuchElementException if the network has no namespace of one of the names
     * @throws IllegalArgumentException if both are the same host, or {@code to} has no global address
     * @throws io.github.netvirt.netlink.NetlinkException if the kernel refuses the rule
     * @throws IllegalStateException if the network is not running
     */
    public OneWayLoss drop(String from, String to) {
        return live(t -> OneWayLoss.drop(t.namespace(from), t.namespace(to)));
    }

    /**
     * Joins hosts {@code a} and {@code b} by a userspace {@link ImpairedLink} (a new TAP device,
     * {@code imp0}, {@code imp1}..., in each, with the addresses given as {@code 10.0.0.1/24}),
     * closed with this network. The seed is printed in failure messages.
     *
     * @throws java.util.NoSuchElementException if the network has no namespace of one of the names
     * @throws IllegalArgumentException if a {@code cidr} is not an address with a prefix length
     * @throws io.github.netvirt.tap.TapException if a TAP device cannot be made
     * @throws IllegalStateException if the network is not running
     */
    public ImpairedLink impair(String a, String cidrA, String b, String cidrB, Impairment impairment, long seed) {
        return live(t -> {
            ImpairedLink link = ImpairedLink.open(endpoint(t, a, cidrA), endpoint(t, b, cidrB), impairment, seed);
            impaired.add(new Opened(started.incrementAndGet(), link));
            return link;
        });
    }

    /**
     * As {@link #impair(String, String, String, String, Impairment, long)} with the seed of system
     * property {@value #SEED_PROPERTY} when set, else a random one: a failing run prints its seed,
     * and {@code -Dnetvirt.seed=N} replays it.
     *
     * @throws java.util.NoSuchElementException if the network has no namespace of one of the names
     * @throws IllegalArgumentException if a {@code cidr} is not an address with a prefix length
     * @throws io.github.netvirt.tap.TapException if a TAP device cannot be made
     * @throws IllegalStateException if the network is not running
     */
    public ImpairedLink impair(String a, String cidrA, String b, String cidrB, Impairment impairment) {
        Long fixed = Long.getLong(SEED_PROPERTY);
        long seed = fixed != null ? fixed : new java.security.SecureRandom().nextLong();
        return impair(a, cidrA, b, cidrB, impairment, seed);
    }

    /**
     * Plans a {@link FaultSchedule} of {@code length} over this network and starts it: cuts of its
     * veth links, partitions and one-way losses between its hosts with addresses (all three kinds
     * unless {@code kinds} names some). The seed is system property {@value #SEED_PROPERTY} when
     * set, else a random one; failure messages show it with the timeline and what ran (a failing
     * test's message, the schedules it started and those still running), and
     * {@code -Dnetvirt.seed=N} replays the same timeline. Close the run to heal what is in force;
     * the network closes it otherwise.
     *
     * @throws IllegalArgumentException when none of the kinds fits the network
     */
    public ScheduleRun schedule(Duration length, ScheduledFault.Kind... kinds) {
        FaultSchedule.Builder b = scheduleOver().length(length);
        if (kinds.length > 0) {
            b.kinds(kinds);
        }
        Long fixed = Long.getLong(SEED_PROPERTY);
        return schedule(b.plan(fixed != null ? fixed : new java.security.SecureRandom().nextLong()));
    }

    /**
     * Starts {@code schedule} (e.g. drawn from {@link #scheduleOver()} with options of one's own) on
     * this network, shown in failure messages and closed with the network.
     */
    public ScheduleRun schedule(FaultSchedule schedule) {
        return live(t -> {
            ScheduleRun run = schedule.start(namespaces(t));
            schedules.add(new Started(started.incrementAndGet(), run));
            return run;
        });
    }

    /**
     * A schedule builder over this network: its hosts with an address, and its veth links (one end
     * of each pair, outside the root namespace) written {@code host/device}. Add faults of your own
     * with {@link FaultSchedule.Builder#fault}, then {@link #schedule(FaultSchedule)} the plan.
     */
    public FaultSchedule.Builder scheduleOver() {
        List<String> hosts = new ArrayList<>();
        List<String> links = new ArrayList<>();
        for (NamespaceSpec n : topology().spec().namespaces()) {
            if (n.root()) {
                continue;
            }
            if (n.devices().stream().anyMatch(d -> !d.addresses().isEmpty())) {
                hosts.add(n.name());
            }
            for (DeviceSpec d : n.devices()) {
                if (d.isVeth() && (d.creator() || TopologySpec.ROOT.equals(d.peerNs()))) {
                    links.add(n.name() + "/" + d.name());
                }
            }
        }
        return FaultSchedule.over(hosts, links);
    }

    private static Endpoint endpoint(Topology t, String ns, String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("address needs a prefix length, e.g. 10.0.0.1/24: " + cidr);
        }
        try {
            return Endpoint.of(
                    t.namespace(ns),
                    "imp%d",
                    InetAddress.getByName(cidr.substring(0, slash)),
                    Integer.parseInt(cidr.substring(slash + 1)));
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("not an address with prefix length: " + cidr, e);
        }
    }

    /**
     * {@link Reachability#pingAll} over every namespace of the topology (the root namespace excluded).
     * Closing the network waits for it.
     *
     * @throws IllegalArgumentException if {@code timeout} is not positive
     * @throws io.github.netvirt.netlink.NetlinkException if a host's addresses cannot be dumped
     * @throws IllegalStateException if the network is not running, or the calling thread is interrupted
     */
    public ReachabilityReport pingAll(Duration timeout) {
        return live(t -> Reachability.pingAll(namespaces(t), timeout));
    }

    /**
     * Waits until a server listens on {@code address:port} and host {@code from} reaches it: a TCP
     * SYN from {@code from} answered by a SYN-ACK ({@link Reachability#awaitReachable}). The
     * handshake is never completed, so nothing is left in the server's accept queue: its first
     * {@code accept()} returns its first real client. Closing the network waits for it.
     *
     * @throws io.github.netvirt.faults.UnreachableException if no SYN-ACK came within {@code timeout}
     *         (the message holds the last probe: refused, silence or no route)
     * @throws IllegalArgumentException if {@code address} is not an address or {@code timeout} not positive;
     *     an IPv6 address's zone ({@code fe80::1%eth0}) names a device of {@code from}, as in {@code ping} run there
     * @throws java.util.NoSuchElementException if the network has no namespace {@code from}
     * @throws IllegalStateException if the network is not running, or at once if {@code from} refuses
     *         the probe's raw socket (no {@code CAP_NET_RAW} there)
     */
    public void awaitReachable(String from, String address, int port, Duration timeout) {
        int zone = address.indexOf('%');
        boolean deviceZone = zone > 0
                && address.indexOf(':') >= 0
                && !address.substring(zone + 1).matches("[0-9]+");
        InetAddress to;
        try {
            to = InetAddress.getByName(deviceZone ? address.substring(0, zone) : address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + address, e);
        }
        live(t -> {
            InetAddress target = to;
            if (deviceZone) { // fe80::1%eth0: the JDK would look eth0 up in the JVM's namespace
                String dev = address.substring(zone + 1);
                int index = t.netlink(from)
                        .linkGet(dev)
                        .orElseThrow(() -> new IllegalArgumentException(
                                "not an address: " + address + " (" + from + " has no device " + dev + ")"))
                        .index();
                try {
                    target = Inet6Address.getByAddress(null, to.getAddress(), index);
                } catch (UnknownHostException e) {
                    throw new IllegalArgumentException("not an address: " + address, e);
                }
            }
            Reachability.awaitReachable(t.namespace(from), target, port, timeout);
            return null;
        });
    }

    /**
     * The iproute2 commands that build this network (what failure messages show); also before and
     * after its scope.
     *
     * @throws io.github.netvirt.core.InvalidTopologyException if the network was never built and its
     *         description is invalid
     */
    public String script() {
        Topology t = topology;
        return t != null ? t.plan().toScript() : builder.toScript();
    }

    /**
     * A Mermaid flowchart of this network; also before and after its scope.
     *
     * @throws io.github.netvirt.core.InvalidTopologyException if the network was never built and its
     *         description is invalid
     */
    public String diagram() {
        Topology t = topology;
        return t != null ? t.plan().toMermaid() : builder.toMermaid();
    }

    /**
     * The kernel names of the namespaces (empty for ephemeral ones), by logical name; also before
     * and after its scope.
     *
     * @throws io.github.netvirt.core.InvalidTopologyException if the network was never built and its
     *         description is invalid
     */
    public Map<String, String> kernelNames() {
        Map<String, String> out = new LinkedHashMap<>();
        TopologySpec spec = topology != null ? topology.spec() : builder.spec();
        for (NamespaceSpec n : spec.namespaces()) {
            if (!n.root()) {
                out.put(n.name(), spec.ephemeral() ? "" : n.kernelName());
            }
        }
        return out;
    }

    /** A fault schedule started on this network, numbered in the order they were started. */
    private record Started(long number, ScheduleRun run) {}

    /** An impaired link opened on this network, numbered with the schedules in the order they were started. */
    private record Opened(long number, ImpairedLink link) {}

    /** How many fault schedules were started and impaired links opened on this network so far: a test's mark for {@link #describe(long)}. */
    long started() {
        return started.get();
    }

    private static boolean ended(ScheduleRun r) {
        try {
            return r.awaitEnd(Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@link #describe(long)} with every fault schedule. */
    String describe() {
        return describe(0);
    }

    /**
     * Text for failure messages: the topology as it is now (its changes included, and each device's
     * up or down as the kernel reports it where a down or a fault changed it,
     * {@link Topology#describeLive()}; as it was when closed) and the script that builds it as declared;
     * the fault schedules started after the first {@code since} and those still running (a failing
     * test's own and those in force during it, not the finished ones of the tests before it).
     */
    String describe(long since) {
        Topology t = topology;
        if (t != null) {
            StringBuilder s = new StringBuilder();
            if (!isRunning()) {
                s.append(closed ? "CLOSED" : "CLOSED through topology().close(): its namespaces are gone.")
                        .append(" It was:\n");
            }
            s.append(t.describeLive()).append("\nbuilt by:\n").append(t.plan().toScript());
            for (Opened o : impaired) {
                ImpairedLink l = o.link();
                if (o.number() <= since && !l.isOpen()) {
                    continue; // an earlier test's, closed
                }
                s.append("\n")
                        .append(l)
                        .append(" (replay with -D")
                        .append(SEED_PROPERTY)
                        .append('=')
                        .append(l.seed())
                        .append(')');
            }
            for (Started st : schedules) {
                ScheduleRun r = st.run();
                if (st.number() <= since && ended(r)) {
                    continue; // an earlier test's, finished
                }
                s.append("\n")
                        .append(r)
                        .append("\n  (replay with -D")
                        .append(SEED_PROPERTY)
                        .append('=')
                        .append(r.schedule().seed())
                        .append(')');
            }
            return s.toString();
        }
        try {
            return builder.toScript();
        } catch (RuntimeException e) {
            return "(invalid topology: " + e.getMessage() + ")";
        }
    }

    // ------------------------------------------------------------------ lifecycle, for the extension

    /** Builds the network for one scope, which must be its only user; kernel names get {@code prefix}. */
    synchronized void start(String prefix, boolean named) {
        join("a direct start", () -> prefix, named, false);
    }

    /**
     * Registers scope {@code user} as a user of the network, building it if it has none: kernel
     * names get the description's prefix followed by {@code prefix}, namespaces are {@code named}
     * or ephemeral. With {@code shared} a running network is joined, else another user is refused.
     * A shared network that one of its users closed through {@code topology().close()} is built
     * again for the joining scope (with a new prefix), and its other users see the new one from then
     * on. The last {@link #leave} closes it.
     *
     * @throws IllegalStateException if {@code shared} is false and another scope uses the network
     */
    synchronized void join(String user, Supplier<String> prefix, boolean named, boolean shared) {
        if (!users.isEmpty()) {
            if (!shared) {
                throw new IllegalStateException("this TestNetwork is already in use by " + users + ", so it cannot "
                        + "also be built for " + user + ": one TestNetwork object is one running network (an instance "
                        + "@Network field serves one test method at a time; a static one is shared)");
            }
            if (isRunning()) {
                users.add(user);
                return;
            }
            state.writeLock().lock();
            try {
                closeNow(); // the old network's fault schedules and impaired links
            } finally {
                state.writeLock().unlock();
            }
        }
        if (ownPrefix == null) {
            ownPrefix = builder.spec().prefix(); // validates the description too, as apply() would
        }
        builder.prefix(ownPrefix + prefix.get());
        if (named) {
            builder.named();
        } else {
            builder.ephemeral();
        }
        Topology t = builder.apply();
        topology = t;
        closed = false;
        closedInUse = false;
        keepAsked = false;
        users.add(user);
    }

    /**
     * Ends scope {@code user}'s use of the network; {@code keep} asks to keep it (its scope failed
     * under {@code keepOnFailure}). The last user closes the network, or keeps it if one asked, and
     * gets {@link #keep()}'s lines; the others get an empty list.
     */
    synchronized List<String> leave(String user, boolean keep) {
        if (!users.remove(user)) {
            return List.of(); // not a user (any more): close() ended the network meanwhile
        }
        keepAsked |= keep;
        if (!users.isEmpty()) {
            return List.of();
        }
        if (keepAsked && !topology.spec().ephemeral()) { // built ephemeral by a class without keepOnFailure
            try {
                return keep();
            } catch (RuntimeException e) {
                EachOf.closeAfter(e, this);
                throw e;
            }
        }
        close();
        return List.of();
    }

    /**
     * Detaches the network (named namespaces only) so that it outlives the test, and returns the
     * commands to inspect and remove it; its fault schedules and impaired links are closed. A network
     * closed through {@code topology().close()} has nothing to keep: this closes what is left of it
     * and returns no lines.
     */
    synchronized List<String> keep() {
        state.writeLock().lock();
        try {
            return keepNow();
        } finally {
            state.writeLock().unlock();
        }
    }

    private List<String> keepNow() {
        Topology t = topology;
        if (t == null || !t.isOpen()) {
            closeNow(); // nothing to keep, but the schedules and relays run in this JVM
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        Map<String, String> names = kernelNames();
        for (Started st : schedules) {
            ScheduleRun r = st.run();
            try {
                r.close(); // its timeline runs in this JVM: the network is kept healed
            } catch (RuntimeException e) {
                lines.add("  (fault schedule seed " + r.schedule().seed() + ": " + e.getMessage() + ")");
            }
            lines.add("  (fault schedule seed " + r.schedule().seed() + " stopped and healed)");
        }
        schedules.clear();
        for (Opened o : impaired) {
            if (o.link().isOpen()) {
                o.link().close(); // its relay lives in this JVM: it cannot be kept
                lines.add("  (" + o.link() + " closed: its relay lived in the test JVM)");
            }
        }
        impaired.clear();
        Optional<String> removal = t.removalCommand();
        t.detach();
        for (Map.Entry<String, String> e : names.entrySet()) {
            lines.add("  " + e.getKey() + ": ip netns exec " + TopologySpec.shellWord(e.getValue()) + " bash");
        }
        String java = "Topology.removeDetached(" + javaString(t.spec().prefix()) + ")";
        if (removal.isPresent()) {
            lines.add("  remove with: " + removal.get());
            lines.add("  or from Java: " + java);
        } else {
            lines.add("  remove from Java: " + java);
        }
        return lines;
    }

    /** {@code s} as a Java string literal. */
    private static String javaString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /**
     * Removes a network kept after a failing test ({@code keepOnFailure}): its namespaces, those the
     * test's changes ({@code topology().change()}) added included, and the record netvirt keeps of it
     * under {@code /run/netvirt} ({@link TopologyBuilder#removeDetached()} of its description). Returns
     * what was removed, e.g. {@code netns t1-server} (nothing when it was not kept). From another
     * JVM, without this object: {@code Topology.removeDetached(prefix)}, with the prefix the failure
     * message shows.
     *
     * @throws io.github.netvirt.core.InvalidTopologyException if the description is invalid
     * @throws IllegalStateException if it was not kept while another kept network holds one of its
     *     namespace names (nothing is removed; the message names it), or if another process holds its
     *     record locked (an flock on the file: nothing of it is removed; the message names the holder)
     * @throws java.io.UncheckedIOException if the crash records cannot be read
     */
    public synchronized List<String> removeKept() {
        return builder.removeDetached();
    }

    /**
     * Ends the processes started in the hosts (as {@link Topology#close()} does), then closes the
     * impaired links and the topology: processes go first, while the whole network is still there.
     * Waits for the calls in progress on other threads; calls made from then on throw
     * {@code IllegalStateException("this network is not running: ...")}. Idempotent.
     *
     * @throws RuntimeException the first failure of the teardown (the others suppressed in it),
     *         after everything else was still closed
     */
    @Override
    public synchronized void close() {
        state.writeLock().lock();
        try {
            closedInUse |= !closed && !users.isEmpty();
            closed = true;
            users.clear();
            endProcesses();
            closeNow();
        } finally {
            state.writeLock().unlock();
        }
    }

    private void endProcesses() {
        Topology t = topology;
        if (t != null && t.isOpen()) {
            Collection<NetNamespace> all;
            try {
                all = namespaces(t).values();
            } catch (IllegalStateException closedMeanwhile) {
                all = List.of(); // Topology.close() ended them
            }
            NetNamespace.endProcesses(all);
        }
    }

    private void closeNow() {
        RuntimeException first = closeAll(schedules, st -> st.run().close(), null);
        first = closeAll(impaired, o -> o.link().close(), first);
        Topology t = topology;
        if (t != null) {
            try {
                t.close();
            } catch (RuntimeException e) {
                if (first != null) {
                    e.addSuppressed(first);
                }
                throw e;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * Closes every element and empties {@code list}; returns the latest failure, or {@code failed}
     * if none.
     */
    private static <T> RuntimeException closeAll(List<T> list, Consumer<T> close, RuntimeException failed) {
        for (T x : list) {
            try {
                close.accept(x);
            } catch (RuntimeException e) {
                failed = e;
            }
        }
        list.clear();
        return failed;
    }

    /** Every namespace of {@code t} by name, the root namespace excluded. */
    private static Map<String, NetNamespace> namespaces(Topology t) {
        Map<String, NetNamespace> out = new LinkedHashMap<>();
        for (NamespaceSpec n : t.spec().namespaces()) {
            if (!n.root()) {
                out.put(n.name(), t.namespace(n.name()));
            }
        }
        return out;
    }

    private static List<NetNamespace> hosts(Topology t, List<String> names) {
        List<NetNamespace> out = new ArrayList<>();
        for (String n : names) {
            out.add(t.namespace(n));
        }
        return out;
    }

    @Override
    public String toString() {
        Topology t = topology;
        return "TestNetwork[" + (t != null && t.isOpen() ? "running" : "not running") + "]";
    }
}
