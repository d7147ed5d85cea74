package io.github.netvirt.junit;

import io.github.netvirt.core.Topology;
import io.github.netvirt.core.TopologyBuilder;
import io.github.netvirt.core.spec.NamespaceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.faults.FaultSchedule;
import io.github.netvirt.faults.OneWayLoss;
import io.github.netvirt.faults.ScheduleRun;
import io.github.netvirt.faults.ScheduledFault;
import io.github.netvirt.faults.impair.Endpoint;
import io.github.netvirt.faults.impair.ImpairedLink;
import io.github.netvirt.faults.impair.Impairment;
import io.github.netvirt.faults.Partition;
import io.github.netvirt.faults.Reachability;
import io.github.netvirt.faults.ReachabilityReport;
import io.github.netvirt.netns.NetNamespace;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A network described for a test, built and removed by {@link NetvirtExtension} around the scope
 * of its {@link Network @Network} field, like a Testcontainers container. Between those points
 * {@link #topology()} is the live network; the fault and reachability helpers address hosts by
 * their logical names.
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
    private final List<ImpairedLink> impaired = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<ScheduleRun> schedules = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile Topology topology;
    private volatile String description;

    private TestNetwork(TopologyBuilder builder) {
        this.builder = builder;
    }

    /**
     * A network to be built from {@code builder} (which must not be applied by anyone else). The
     * extension sets the builder's prefix (unique per scope) and makes its namespaces ephemeral, or
     * named under {@code keepOnFailure}: the logical names stay those of the description.
     */
    public static TestNetwork of(TopologyBuilder builder) {
        return new TestNetwork(Objects.requireNonNull(builder, "builder"));
    }

    /** The live topology, while its scope runs. */
    public Topology topology() {
        Topology t = topology;
        if (t == null || !t.isOpen()) {
            throw new IllegalStateException("this network is not running: it exists only within the scope of its "
                    + "@Network field (the class for a static field, each test method for an instance field)");
        }
        return t;
    }

    public boolean isRunning() {
        Topology t = topology;
        return t != null && t.isOpen();
    }

    /** The namespace with logical name {@code ns}. */
    public NetNamespace host(String ns) {
        return topology().host(ns);
    }

    /** Cuts a link: {@code ip link set dev DEV down} in {@code ns}. */
    public void down(String ns, String dev) {
        topology().down(ns, dev);
    }

    /** Restores a link cut by {@link #down}. */
    public void up(String ns, String dev) {
        topology().up(ns, dev);
    }

    /** Splits the hosts named in {@code sideA} from those in {@code sideB} until the returned fault is healed. */
    public Partition partition(List<String> sideA, List<String> sideB) {
        return Partition.between(hosts(sideA), hosts(sideB));
    }

    /** Limits the egress rate of {@code dev} in host {@code ns} (a tbf qdisc) to {@code bitsPerSecond}. */
    public void rateLimit(String ns, String dev, long bitsPerSecond) {
        io.github.netvirt.faults.RateLimit.of(bitsPerSecond).apply(host(ns), dev);
    }

    /** Drops every packet from host {@code from} to host {@code to}, not the other way. */
    public OneWayLoss drop(String from, String to) {
        return OneWayLoss.drop(host(from), host(to));
    }

    /**
     * Joins hosts {@code a} and {@code b} by a userspace {@link ImpairedLink} (a new TAP device,
     * {@code imp0}, {@code imp1}..., in each, with the addresses given as {@code 10.0.0.1/24}),
     * closed with this network. The seed is printed in failure messages.
     */
    public ImpairedLink impair(String a, String cidrA, String b, String cidrB, Impairment impairment, long seed) {
        ImpairedLink link = ImpairedLink.open(endpoint(a, cidrA), endpoint(b, cidrB), impairment, seed);
        impaired.add(link);
        return link;
    }

    /**
     * As {@link #impair(String, String, String, String, Impairment, long)} with the seed of system
     * property {@value #SEED_PROPERTY} when set, else a random one: a failing run prints its seed,
     * and {@code -Dnetvirt.seed=N} replays it.
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
     * set, else a random one; failure messages show it with the timeline and what ran, and
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
        Map<String, NetNamespace> hosts = new LinkedHashMap<>();
        for (NamespaceSpec n : topology().spec().namespaces()) {
            if (!n.root()) {
                hosts.put(n.name(), host(n.name()));
            }
        }
        ScheduleRun run = schedule.start(hosts);
        schedules.add(run);
        return run;
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

    private Endpoint endpoint(String ns, String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("address needs a prefix length, e.g. 10.0.0.1/24: " + cidr);
        }
        try {
            return Endpoint.of(host(ns), "imp%d", InetAddress.getByName(cidr.substring(0, slash)),
                    Integer.parseInt(cidr.substring(slash + 1)));
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("not an address with prefix length: " + cidr, e);
        }
    }

    /** {@link Reachability#pingAll} over every namespace of the topology (the root namespace excluded). */
    public ReachabilityReport pingAll(Duration timeout) {
        Map<String, NetNamespace> hosts = new LinkedHashMap<>();
        for (NamespaceSpec n : topology().spec().namespaces()) {
            if (!n.root()) {
                hosts.put(n.name(), host(n.name()));
            }
        }
        return Reachability.pingAll(hosts, timeout);
    }

    /** Waits until a TCP connection from host {@code from} to {@code address:port} succeeds. */
    public void awaitReachable(String from, String address, int port, Duration timeout) {
        try {
            Reachability.awaitReachable(host(from), InetAddress.getByName(address), port, timeout);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + address, e);
        }
    }

    /** The iproute2 commands that build this network (what failure messages show). */
    public String script() {
        Topology t = topology;
        return t != null ? t.plan().toScript() : builder.toScript();
    }

    /** A Mermaid flowchart of this network. */
    public String diagram() {
        Topology t = topology;
        return t != null ? t.plan().toMermaid() : builder.toMermaid();
    }

    /** The kernel names of the namespaces (empty for ephemeral ones), by logical name. */
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

    /** Text for failure messages: the live topology and the script that builds it. */
    String describe() {
        String d = description;
        if (d != null) {
            StringBuilder s = new StringBuilder(d);
            for (ImpairedLink l : impaired) {
                s.append("\n").append(l).append(" (replay with -D").append(SEED_PROPERTY).append('=').append(l.seed())
                        .append(')');
            }
            for (ScheduleRun r : schedules) {
                s.append("\n").append(r).append("\n  (replay with -D").append(SEED_PROPERTY).append('=')
                        .append(r.schedule().seed()).append(')');
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

    synchronized void start(String prefix, boolean named) {
        if (isRunning()) {
            throw new IllegalStateException("this TestNetwork is already running: one @Network field per network");
        }
        builder.prefix(prefix);
        if (named) {
            builder.named();
        } else {
            builder.ephemeral();
        }
        Topology t = builder.apply();
        topology = t;
        description = t + "\nbuilt by:\n" + t.plan().toScript();
    }

    /**
     * Detaches the network (named namespaces only) so that it outlives the test, and returns the
     * commands to inspect and remove it.
     */
    synchronized List<String> keep() {
        Topology t = topology;
        List<String> lines = new ArrayList<>();
        if (t == null || !t.isOpen()) {
            return lines;
        }
        Map<String, String> names = kernelNames();
        for (ScheduleRun r : schedules) {
            try {
                r.close(); // its timeline runs in this JVM: the network is kept healed
            } catch (RuntimeException e) {
                lines.add("  (fault schedule seed " + r.schedule().seed() + ": " + e.getMessage() + ")");
            }
            lines.add("  (fault schedule seed " + r.schedule().seed() + " stopped and healed)");
        }
        schedules.clear();
        for (ImpairedLink l : impaired) {
            l.close(); // its relay lives in this JVM: it cannot be kept
            lines.add("  (" + l + " closed: its relay lived in the test JVM)");
        }
        impaired.clear();
        t.detach();
        for (Map.Entry<String, String> e : names.entrySet()) {
            lines.add("  " + e.getKey() + ": ip netns exec " + e.getValue() + " bash");
        }
        lines.add("  remove with: ip netns del " + String.join(" && ip netns del ", names.values()));
        return lines;
    }

    /**
     * Removes a network kept after a failing test ({@code keepOnFailure}): its namespaces and the
     * record netvirt keeps of it under {@code /run/netvirt}. Returns what was removed, e.g.
     * {@code netns t1-server}.
     */
    public synchronized List<String> removeKept() {
        return builder.removeDetached();
    }

    @Override
    public synchronized void close() {
        RuntimeException first = null;
        for (ScheduleRun r : schedules) {
            try {
                r.close();
            } catch (RuntimeException e) {
                first = e;
            }
        }
        schedules.clear();
        for (ImpairedLink l : impaired) {
            try {
                l.close();
            } catch (RuntimeException e) {
                first = e;
            }
        }
        impaired.clear();
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

    private List<NetNamespace> hosts(List<String> names) {
        List<NetNamespace> out = new ArrayList<>();
        for (String n : names) {
            out.add(host(n));
        }
        return out;
    }

    @Override
    public String toString() {
        Topology t = topology;
        return "TestNetwork[" + (t != null && t.isOpen() ? "running" : "not running") + "]";
    }
}
