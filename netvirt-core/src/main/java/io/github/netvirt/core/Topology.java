package io.github.netvirt.core;

import io.github.netvirt.core.plan.Plan;
import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.Kind;
import io.github.netvirt.core.spec.NamespaceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.Address;
import io.github.netvirt.netlink.Link;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netlink.Route;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.tap.TapDevice;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A network built in the kernel by {@link TopologyBuilder#apply()}. Everything is addressed by the
 * logical names of the description ({@code "net0"}, whatever prefix the kernel names carry).
 * {@link #close()} removes everything the topology created, and nothing else.
 *
 * <pre>{@code
 * try (Topology t = Topology.create()
 *         .ns("net0").veth("net0-bridge", "bridge", "bridge-net0").addr("10.0.1.1/24")
 *         .ns("net1").veth("net1-bridge", "bridge", "bridge-net1").addr("10.0.1.2/24")
 *         .ns("bridge").bridge("br").ports("bridge-net0", "bridge-net1")
 *         .apply()) {
 *     SocketChannel c = t.host("net0").openSocketChannel();
 *     ...
 *     t.down("net1", "net1-bridge"); // cut the cable
 * }
 * }</pre>
 */
public final class Topology implements AutoCloseable {
    /** The logical name of the root namespace, for {@link TopologyBuilder#veth(String, String, String)}. */
    public static final String ROOT = TopologySpec.ROOT;

    private final Plan plan;
    private final Resources res;
    private final long applyNanos;
    private final Object lock = new Object();
    private boolean closed;
    private long closeNanos = -1;

    Topology(Plan plan, Resources res, long applyNanos) {
        this.plan = plan;
        this.res = res;
        this.applyNanos = applyNanos;
        HostNames.publish(plan.spec(), res.hosts);
    }

    /** Starts describing a network. */
    public static TopologyBuilder create() {
        return new TopologyBuilder();
    }

    static Topology apply(Plan plan, ApplyOptions options) {
        return Applier.apply(plan, options);
    }

    /**
     * Removes what topologies of processes that are no longer running left behind (named
     * namespaces, root-namespace devices), as recorded under {@code /run/netvirt}. Objects are
     * removed only when their kernel identity matches the record: a namespace or device of the same
     * name made by someone else survives. Detached topologies ({@link #detach()}) are left alone.
     *
     * @return what was removed, one line per object
     */
    public static List<String> cleanup() {
        return Cleaner.cleanup();
    }

    public TopologySpec spec() {
        return plan.spec();
    }

    public Plan plan() {
        return plan;
    }

    /** How long {@link TopologyBuilder#apply()} took. */
    public Duration applyTime() {
        return Duration.ofNanos(applyNanos);
    }

    /** How long {@link #close()} took, once closed. */
    public Duration closeTime() {
        synchronized (lock) {
            if (closeNanos < 0) {
                throw new IllegalStateException("not closed yet");
            }
            return Duration.ofNanos(closeNanos);
        }
    }

    /**
     * The namespace {@code ns} (a logical name): run code in it, open sockets, start processes
     * ({@link NetNamespace#processes()} lists those still running; {@link #close()} ends them). The
     * handle belongs to the topology: do not close it.
     */
    public NetNamespace host(String ns) {
        ensureOpen();
        NetNamespace h = res.hosts.get(ns);
        if (h == null) {
            throw new NoSuchElementException("no namespace " + TopologySpec.label(ns) + " in this topology");
        }
        return h;
    }

    /**
     * The address that the host name {@code host} (a logical namespace name) stands for inside this
     * topology: the first address of its first device that has one, in the order of the description.
     *
     * <p>Inside the topology the names resolve by themselves: every process started through
     * {@link #host} sees an {@code /etc/hosts} that maps each namespace's name to the addresses of
     * its devices (so {@code getent hosts server}, {@code curl http://server/} work), and on JDK 18
     * and later {@code InetAddress.getByName("server")} on a thread inside one of the topology's
     * namespaces ({@link NetNamespace#call}, {@code @RunIn}) gives the same addresses, through the
     * {@code java.net.spi.InetAddressResolverProvider} in this jar; other threads, and names that are
     * not the topology's, get the system resolver's answer. The JDK caches answers by name for the
     * whole JVM ({@code networkaddress.cache.ttl}, 30 s; failures for {@code
     * networkaddress.cache.negative.ttl}, 10 s): code that looks up the same name from outside and
     * inside a topology, or in two topologies at once, should set both to 0 or use this method, which
     * is also the way on JDK 17. The root namespace has no name here: its threads and processes keep
     * the machine's names.
     *
     * @throws java.util.NoSuchElementException if there is no such namespace, or it has no address
     * @throws IllegalStateException if the topology is closed
     */
    public InetAddress address(String host) {
        ensureOpen();
        List<InetAddress> all = HostNames.addresses(plan.spec(), host);
        if (all.isEmpty()) {
            throw new NoSuchElementException("namespace " + TopologySpec.label(host) + " has no address");
        }
        return all.get(0);
    }

    /** The netlink handle of namespace {@code ns}, for anything the topology does not wrap. Do not close it. */
    public NetlinkHandle netlink(String ns) {
        ensureOpen();
        host(ns);
        return res.handle(ns);
    }

    /** {@code ip link set dev DEV down} in namespace {@code ns}: cuts the link at runtime. */
    public void down(String ns, String dev) {
        device(ns, dev);
        res.handle(ns).linkSetDown(dev);
    }

    /** {@code ip link set dev DEV up} in namespace {@code ns}. */
    public void up(String ns, String dev) {
        device(ns, dev);
        res.handle(ns).linkSetUp(dev);
    }

    /** The open TAP device {@code dev} of namespace {@code ns}: frames as streams. Do not close it. */
    public TapDevice tap(String ns, String dev) {
        DeviceSpec d = device(ns, dev);
        if (d.kind() != Kind.TAP) {
            throw new IllegalArgumentException(d.qualifiedName() + " is a " + d.kind().iproute2() + ", not a tap");
        }
        return res.taps.get(ns + "\u0000" + dev);
    }

    /** The links of namespace {@code ns} as the kernel reports them now. */
    public List<Link> links(String ns) {
        return netlink(ns).linkList();
    }

    /** The link {@code dev} of namespace {@code ns} as the kernel reports it now. */
    public Link link(String ns, String dev) {
        return netlink(ns).link(dev);
    }

    /** The addresses of namespace {@code ns} as the kernel reports them now. */
    public List<Address> addresses(String ns) {
        return netlink(ns).addrList();
    }

    /** The routes of namespace {@code ns} (all tables) as the kernel reports them now. */
    public List<Route> routes(String ns) {
        return netlink(ns).routeList();
    }

    /**
     * Leaves the network in place after this JVM: releases every handle without removing anything
     * and marks the crash record as kept, so {@link #cleanup()} leaves it alone.
     * {@link TopologyBuilder#removeDetached()} removes it later. Only for named namespaces. Processes
     * started through {@link #host} are ended as by {@link #close()} (they could not outlive the JVM
     * anyway); start them with {@link NetNamespace#startDetached} to keep them with the network.
     */
    public void detach() {
        synchronized (lock) {
            ensureOpen();
            if (plan.spec().ephemeral()) {
                throw new IllegalStateException("an ephemeral topology cannot outlive its handles");
            }
            if (!res.taps.isEmpty()) {
                throw new IllegalStateException("a topology with taps cannot be detached: they close with it");
            }
            if (res.record != null) {
                res.record.kept();
                res.record = null;
            }
            HostNames.withdraw(res.hosts);
            res.named.clear();
            res.rootLinks.clear();
            res.teardown();
            closed = true;
            closeNanos = 0;
        }
    }

    /**
     * Removes everything this topology created and waits until the kernel has: its names under
     * {@code /run/netns} and its devices in the root namespace are gone when this returns.
     * First, while the network is still intact, it ends the processes started through its hosts
     * ({@link NetNamespace#start}): SIGTERM to them and their descendants, up to 1 s for all of them
     * together, then SIGKILL. Processes started with {@link NetNamespace#startDetached} are left
     * running (and keep their namespace alive). Idempotent.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            long start = System.nanoTime();
            HostNames.withdraw(res.hosts);
            List<RuntimeException> errors = res.teardown();
            closeNanos = System.nanoTime() - start;
            if (!errors.isEmpty()) {
                RuntimeException first = errors.get(0);
                for (int i = 1; i < errors.size(); i++) {
                    first.addSuppressed(errors.get(i));
                }
                throw first;
            }
        }
    }

    public boolean isOpen() {
        synchronized (lock) {
            return !closed;
        }
    }

    private DeviceSpec device(String ns, String dev) {
        ensureOpen();
        return plan.spec().device(ns, dev);
    }

    private void ensureOpen() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("topology is closed");
            }
        }
    }

    /** The namespaces and their devices, one per line. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        TopologySpec spec = plan.spec();
        for (NamespaceSpec n : spec.namespaces()) {
            s.append(n.root() ? "root namespace" : "netns " + n.name()
                    + (n.kernelName() != null && !n.kernelName().equals(n.name()) ? " (" + n.kernelName() + ")" : "")
                    + (spec.ephemeral() ? " (ephemeral)" : ""));
            if (n.forwarding()) {
                s.append(" forwarding");
            }
            s.append('\n');
            for (DeviceSpec d : n.devices()) {
                s.append("  ").append(d.name()).append(' ').append(d.kind().iproute2());
                if (d.isVeth()) {
                    s.append(" peer ").append(TopologySpec.label(d.peerNs())).append('/').append(d.peerName());
                }
                if (d.master() != null) {
                    s.append(" master ").append(d.master());
                }
                if (d.mtu() > 0) {
                    s.append(" mtu ").append(d.mtu());
                }
                if (d.mac() != null) {
                    s.append(" address ").append(d.mac());
                }
                s.append(d.up() ? " up" : " down");
                d.addresses().forEach(a -> s.append(' ').append(a));
                s.append('\n');
            }
            n.routes().forEach(r -> s.append("  route ").append(r.iproute2()).append('\n'));
        }
        return s.toString();
    }
}
