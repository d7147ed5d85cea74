package io.github.netvirt.core;

import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.Kind;
import io.github.netvirt.core.spec.LinkCondition;
import io.github.netvirt.core.spec.NamespaceRoute;
import io.github.netvirt.core.spec.NamespaceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.Address;
import io.github.netvirt.netlink.DownedLink;
import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.netlink.Link;
import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netlink.Route;
import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.EachOf;
import io.github.netvirt.netns.internal.Journal;
import io.github.netvirt.netns.internal.ProcPids;
import io.github.netvirt.netns.internal.Residency;
import io.github.netvirt.netns.internal.Sys;
import io.github.netvirt.netns.internal.Uninterrupted;
import io.github.netvirt.tap.PacketCapture;
import io.github.netvirt.tap.TapDevice;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;

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
 *     SocketChannel c = t.namespace("net0").openSocketChannel();
 *     ...
 *     t.down("net1", "net1-bridge"); // cut the cable
 * }
 * }</pre>
 *
 * <p><b>Thread safety.</b> A topology is safe for use by many threads. The live calls
 * ({@link #namespace}, {@link #netlink}, {@link #down}, {@link #up}, {@link #tap}, {@link #linkList},
 * {@link #link}, {@link #addrList}, {@link #routeList}) run concurrently with each other.
 * {@link #close()} and {@link #detach()} wait until the live calls in progress have finished (each
 * is bounded by the netlink timeout), so every live call either completes or throws
 * {@code IllegalStateException("topology is closed")}: the one message for a call made during or
 * after {@code close()}, which a call that has to wait while {@code close()} or {@code detach()}
 * runs throws at once instead of waiting for them to finish. The handles that {@code namespace},
 * {@code netlink} and {@code tap} return
 * belong to the topology and are closed with it (closing one yourself does nothing): what a use of one of them does during or after
 * {@code close()} is documented by its own class. The description calls ({@link #spec},
 * {@link #plan}, {@link #applyTime}, {@link #isOpen}, {@link #toString}) never throw, also after
 * {@code close()}.
 */
public final class Topology implements AutoCloseable {
    /** The logical name of the root namespace, for {@link TopologyBuilder#veth(String, String, String)}. */
    public static final String ROOT = TopologySpec.ROOT;

    private static final String CLOSED = "topology is closed";
    private static final String HOME_CLOSING = "the namespace it runs in is being closed (a change removed it, or"
            + " its handle was closed): the call gives up waiting for the topology";
    /** How often a call waiting for {@link #state} looks whether the topology is closing. */
    private static final long CLOSING_POLL_MILLIS = 20;

    /** Replaced, under the write lock, by each change ({@link #change()}). */
    private volatile Plan plan;

    private final Resources res;
    private final long applyNanos;
    /** Live calls hold the read lock while they use the handles; close() and detach() the write lock. */
    private final ReentrantReadWriteLock state = new ReentrantReadWriteLock();

    private volatile boolean closed;
    private volatile long closeNanos = -1;
    /**
     * Whether the host names are published ({@link HostNames}): on the first {@link #namespace}
     * call, the only way code gets into the topology's namespaces, not by apply(), which most
     * topologies never look up a name in.
     */
    private boolean published;

    private final Object publication = new Object();
    /** Captures started by {@link #capture}; closed before the network goes. */
    private final List<PacketCapture> captures = new ArrayList<>();
    /** What {@link #down} took from each device it set down, for {@link #up}. */
    private final Map<DeviceKey, DownedLink> downed = new ConcurrentHashMap<>();
    /** Test hook: runs in {@link #down} and {@link #up} between the device's lookup and the requests. */
    volatile Consumer<Link> afterLookup = l -> {};

    Topology(Plan plan, Resources res, long applyNanos) {
        this.plan = plan;
        this.res = res;
        this.applyNanos = applyNanos;
    }

    /** Starts describing a network. */
    public static TopologyBuilder create() {
        return new TopologyBuilder();
    }

    /**
     * Removes what topologies of processes that are no longer running left behind (named
     * namespaces, devices in the root namespace), as recorded in the crash record directory
     * ({@code /run/netvirt}, or the system property {@code netvirt.run.dir}). An object is removed
     * only when its kernel identity is proven: a namespace whose name still holds the recorded
     * namespace cookie ({@link NetNamespace#cookie()}), a root-namespace device carrying the device
     * group the dead topology tagged its devices with, in the namespace the dead JVM started in
     * (this JVM's, or one whose cookie matches where the record says it is found: its name under
     * {@code /run/netns}, or pid 1's; when it cannot be reached from here, the devices and their
     * record are left alone and reported), a device made in an adopted namespace by its device group in
     * the namespace of the recorded cookie (when the recorded way there, its name or the adopted
     * process, no longer leads to it, nothing proves it gone: a process or a bind mount may hold it,
     * and the devices with it, so they and their record are left alone and reported, until the record
     * is deleted by hand). A namespace or device of the same name made
     * by someone else is left alone, logged and reported, and so are records that may not be
     * trusted (symlinks, other owners, a directory others can write, malformed lines). Detached
     * topologies ({@link #detach()}) are left alone (one whose record another process holds locked
     * is reported as such), and so are those whose owner still runs: it
     * holds the lock of its record while it lives, wherever its pid is, and the kernel drops that
     * lock when it exits, before it is a zombie waiting for its parent (which counts as dead). A
     * topology of this JVM whose {@link #close()} failed part-way has let its record go: a cleanup in
     * this JVM removes what is left of it (the record names this process, which no longer holds it),
     * one of another JVM sees its owner running and leaves it until this JVM exits. Every
     * record left is reported, one whose deletion the file system refuses (an immutable file, a mount
     * point) too: the cleanup goes on with the others. A file named like a record is taken for one
     * whose owner was killed before its first line only when it is empty; any other without a complete
     * line is refused and kept. The record of a detached topology is deleted only once nothing of it
     * is left (its names removed by hand, and no process it started detached still running: pid, start
     * time and namespace), and that deletion is reported among the removed, as is the deletion of a
     * record of an earlier boot. netvirt also runs this once per JVM in the
     * background, on the first apply (see {@link #reapInBackground()}).
     *
     * @return what was removed and what was left alone
     * @throws java.io.UncheckedIOException if the record directory cannot be read or locked (the
     *     message says why: a {@code .lock} there that is no regular file is named for what it is, to be
     *     removed)
     */
    public static CleanupReport cleanup() {
        return Uninterrupted.call(() -> Cleaner.cleanup(RunDir.current()));
    }

    /**
     * Starts {@link #cleanup()} on a background thread, once per JVM, and returns at once; the first
     * {@code apply()} and netvirt-junit's extension call it. What it removes and leaves alone is
     * logged through {@code System.Logger} ({@code io.github.netvirt.core.Reaper}). Turned off with
     * the system property {@code netvirt.reaper=false} (the future then completes with an empty
     * report); any other value but {@code true} (in any case) is refused, here and by every apply.
     * The thread is a daemon: a JVM that exits meanwhile leaves the rest to the next cleanup (wait
     * for the future, or call {@link #cleanup()}, to have it all done first). Thread-safe.
     *
     * @return completes with what the background cleanup did
     * @throws IllegalArgumentException if {@code netvirt.reaper} is set to neither true nor false
     */
    public static Future<CleanupReport> reapInBackground() {
        return Reaper.startOnce();
    }

    /**
     * Removes a topology that {@link #detach()} left running, found by the kernel name of one of
     * its namespaces ({@code "t1-net0"}) or by the prefix all of them carry ({@code "t1-"}, as given
     * to {@link TopologyBuilder#prefix}): no need to rebuild its description as
     * {@link TopologyBuilder#removeDetached()} does. Every detached topology that matches is
     * removed, whether its owner still runs or not; live topologies (use {@link #close()}) and
     * namespaces that no netvirt topology recorded are never touched. What is removed goes through
     * the same records and the same proof of kernel identity as {@link #cleanup()}: a namespace
     * that now holds the name but is not the one the topology made (another cookie) is left alone
     * and logged, and so are records that may not be trusted. The processes it had started with
     * {@link NetNamespace#startDetached} that still run (the same process: pid and start time) are
     * ended first, as {@link #close()} ends started processes (SIGTERM to them and their descendants,
     * up to 1 s, SIGKILL), so that nothing keeps a namespace alive without its name. Processes it did
     * not start that are inside one of its namespaces are not ended: that namespace's line names them
     * ({@code "netns NAME (name removed; the namespace lives on, held by pid PID (COMMAND))"}).
     *
     * @param nameOrPrefix a namespace's kernel name, or a prefix of all of a topology's namespace names;
     *     the name of a namespace of a detached topology is taken as that name, never as a prefix
     *     ({@code "t1-a"} leaves a detached {@code t1-ab})
     * @return what was removed, one line per object (empty when nothing matched): {@code "netns NAME"},
     *     {@code "link NAME (...)"}, {@code "process PID (COMMAND) in netns NAME"}
     * @throws IllegalArgumentException if {@code nameOrPrefix} is null or empty (it would match
     *         every detached topology)
     * @throws IllegalStateException if a detached topology matched whose record another process
     *         holds locked (an flock on the file, not let go within 2 s as a cleaner would): nothing
     *         of it is removed, and the message names it, its namespaces, the process that holds the
     *         lock when {@code /proc/locks} tells it, and what was removed of the other topologies that
     *         matched (those are removed all the same)
     * @throws java.io.UncheckedIOException if the record directory cannot be read or locked (an
     *         object the kernel refuses to delete is logged, and its record kept for a later call; so is
     *         a record the file system refuses to delete)
     */
    public static List<String> removeDetached(String nameOrPrefix) {
        if (nameOrPrefix == null || nameOrPrefix.isEmpty()) {
            throw new IllegalArgumentException("removeDetached needs a namespace name or a prefix, got "
                    + (nameOrPrefix == null ? "null" : "an empty string")
                    + ": that would match every detached topology");
        }
        return Uninterrupted.call(() -> Cleaner.removeDetached(RunDir.current(), nameOrPrefix));
    }

    /** The validated description this network was built from; also after {@link #close()}. */
    public TopologySpec spec() {
        return plan.spec();
    }

    /** The steps {@code apply()} took, in order ({@link Plan#toScript()}: as iproute2 commands); also after {@link #close()}. */
    public Plan plan() {
        return plan;
    }

    /** How long {@link TopologyBuilder#apply()} took; also after {@link #close()}. */
    public Duration applyTime() {
        return Duration.ofNanos(applyNanos);
    }

    /**
     * How long {@link #close()} took, once closed.
     *
     * @throws IllegalStateException before {@code close()} has finished
     */
    public Duration closeTime() {
        long n = closeNanos;
        if (n < 0) {
            throw new IllegalStateException("not closed yet");
        }
        return Duration.ofNanos(n);
    }

    /**
     * The namespace {@code ns} (a logical name): run code in it, open sockets, start processes
     * ({@link NetNamespace#processes()} lists those still running; {@link #close()} ends them). The
     * handle belongs to the topology, which lends it out ({@link NetNamespace#lend}): closing it does
     * nothing, and it stays usable until the topology closes.
     *
     * @throws NullPointerException if {@code ns} is null, naming it
     * @throws NoSuchElementException if the topology has no namespace {@code ns}
     * @throws IllegalStateException if the topology is closed
     */
    public NetNamespace namespace(String ns) {
        Objects.requireNonNull(ns, "ns");
        return live(() -> {
            NetNamespace n = namespaceOf(ns);
            publishHostNames();
            n.lend(Resources.OWNER);
            journal(ns, n);
            return n;
        });
    }

    /**
     * Where {@code n}, the handle of namespace {@code ns}, is one the topology does not own (adopted,
     * or the root namespace): attaches the journal through which netvirt-faults notes its tables
     * there in the crash record ({@link RecordJournal}). A namespace the topology made takes what is
     * in it along when it goes.
     */
    private void journal(String ns, NetNamespace n) {
        NamespaceSpec spec = plan.spec().namespace(ns);
        if (!spec.root() && !spec.adopted() || Journal.of(n) != Journal.NONE) {
            return;
        }
        String reach = spec.root() ? RecordReach.rootReach() : Adoptions.reach(spec.adoption(), n);
        Journal.attach(n, new RecordJournal(this::live, () -> res.recordForFaults(plan.spec()), n.cookie(), reach));
    }

    /**
     * The address that the host name {@code host} (a logical namespace name) stands for inside this
     * topology: the first address of its first device that has one, in the order of the description,
     * IPv6 link-local ones passed over (without the zone of the caller's own device, a connect to one
     * fails: {@code fe80::1} names no host off its link).
     *
     * <p>Inside the topology the names resolve by themselves: every process started through
     * {@link #namespace} sees an {@code /etc/hosts} that maps each namespace's name to the addresses of
     * its devices (so {@code getent hosts server}, {@code curl http://server/} work), and on JDK 18
     * and later {@code InetAddress.getByName("server")} on a thread inside one of the topology's
     * namespaces ({@link NetNamespace#call}, {@code @RunIn}) gives the same addresses, through the
     * {@code java.net.spi.InetAddressResolverProvider} in this jar, from the first {@link #namespace}
     * call on (a handle opened by name apart from the topology sees them from then on too), and so
     * does {@link NetNamespace#socketFactory()} of those namespaces on any thread, without asking the
     * JDK (nothing is cached); other
     * threads, and names that are not the topology's, get the system resolver's answer. The JDK
     * caches answers by name for the whole JVM ({@code networkaddress.cache.ttl}, 30 s; failures for {@code
     * networkaddress.cache.negative.ttl}, 10 s): code that looks up the same name from outside and
     * inside a topology, or in two topologies at once, should set both to 0 or use this method, which
     * is also the way on JDK 17. The root namespace has no name here: its threads and processes keep
     * the machine's names.
     *
     * @throws NullPointerException if {@code host} is null, naming it
     * @throws java.util.NoSuchElementException if there is no such namespace, or it has no address
     *     (but IPv6 link-local ones)
     * @throws IllegalStateException if the topology is closed
     */
    public InetAddress address(String host) {
        Objects.requireNonNull(host, "host");
        return live(() -> {
            List<InetAddress> all = HostNames.addresses(plan.spec(), host);
            if (all.isEmpty()) {
                throw new NoSuchElementException("namespace " + TopologySpec.label(host) + " has no address");
            }
            return all.get(0);
        });
    }

    /**
     * The netlink handle of namespace {@code ns}, for anything the topology does not wrap. The topology
     * lends it out ({@link NetlinkHandle#lend}): closing it does nothing, and it stays usable until the
     * topology closes.
     *
     * @throws NullPointerException if {@code ns} is null, naming it
     * @throws NoSuchElementException if the topology has no namespace {@code ns}
     * @throws IllegalStateException if the topology is closed
     */
    public NetlinkHandle netlink(String ns) {
        Objects.requireNonNull(ns, "ns");
        return live(() -> {
            NetlinkHandle h = handle(ns);
            h.lend(Resources.OWNER);
            return h;
        });
    }

    /**
     * {@code ip link set dev DEV down} in namespace {@code ns}: cuts the link at runtime. The kernel
     * deletes the routes through the device and its IPv6 addresses; the topology notes them, and
     * {@link #up} gives them back. It nests with the other downs of the device in this JVM (a
     * {@code LinkCut} of netvirt-faults, {@link DownedLink}): the device stays down until all have ended.
     *
     * <p>In the root and adopted namespaces the device is the one the topology made, known by its
     * ifindex: renamed by someone, it is set down under its new name, and a device that took its name
     * is left alone.
     *
     * @throws NullPointerException if {@code ns} or {@code dev} is null, naming it
     * @throws NoSuchElementException if the topology has no such namespace or device; in the root and adopted
     *         namespaces, also if the device of that name there is not the topology's (another's, made since)
     * @throws NetlinkException if the kernel refuses: ENODEV naming the device and saying it is gone when
     *         someone deleted it meanwhile
     * @throws IllegalStateException if the topology is closed
     */
    public void down(String ns, String dev) {
        Objects.requireNonNull(ns, "ns");
        Objects.requireNonNull(dev, "dev");
        // one down or up of a device at a time: a second down shares the first's note
        live(() -> {
            onOwnLink(ns, dev, (l, noted) -> {
                if (noted != null && noted.index() == l.index()) {
                    noted.setDownAgain(handle(ns)); // noting what the device has now if someone set it up
                    return noted;
                }
                if (noted != null) {
                    noted.release(); // the device it noted is gone
                }
                return DownedLink.setDown(handle(ns), l);
            });
            return null;
        });
    }

    /**
     * {@code ip link set dev DEV up} in namespace {@code ns}, and the routes and IPv6 addresses that
     * {@link #down} took added back (those still missing), the routes as they were, metrics ({@code
     * mtu} ...) included ({@link DownedLink} lists what it carries). While another down of the device
     * holds it (a {@code LinkCut} of netvirt-faults), after a {@link #down} or without one, it stays
     * down, and the last to end brings it up and gives back what the first took. The device is fully up when this returns, and so is a veth's
     * other end, whose carrier the up turned on, and the bridges they are ports of
     * ({@link NetlinkHandle#linkUp}): a frame sent at once is not dropped. The IPv6 addresses it gave
     * back, and those of a device declared {@code down()}, are usable too: in the root and adopted
     * namespaces, where DAD runs, it waits it out (1-2 s), for the kernel's link-local address as well,
     * as {@link TopologyBuilder#apply()} does. DAD needs a carrier: a veth end set up while its other end
     * is down keeps its addresses tentative, and the up of the other end, which turns the carrier on,
     * waits for them; so does the up of a bridge's port for the bridge's, and of a macvlan's lower device
     * for the macvlan's, whose carrier it turns on too.
     *
     * @throws NullPointerException if {@code ns} or {@code dev} is null, naming it
     * @throws NoSuchElementException if the topology has no such namespace or device; in the root and adopted
     *         namespaces, also if the device of that name there is not the topology's (another's, made since)
     * @throws NetlinkException if the kernel refuses: ENODEV naming the device and saying it is gone when
     *         someone deleted it meanwhile
     * @throws IllegalStateException if the topology is closed
     */
    public void up(String ns, String dev) {
        Objects.requireNonNull(ns, "ns");
        Objects.requireNonNull(dev, "dev");
        Link[] dad = {null};
        live(() -> {
            onOwnLink(ns, dev, (l, d) -> {
                if (d != null && d.index() == l.index()) {
                    if (d.setUpWithoutDadWait(handle(ns))) {
                        dad[0] = l;
                    }
                } else {
                    if (d != null) {
                        d.release(); // the device it noted is gone
                    }
                    if (DownedLink.upUnlessHeld(handle(ns), l.index()) && hasIpv6(handle(ns), l.index())) {
                        dad[0] = l;
                    }
                }
                return null;
            });
            // not in the compute: its lock, held 1-2 s, would hold the downs and ups of other devices too
            if (dad[0] != null) {
                awaitDad(handle(ns), dad[0]);
            }
            for (DeviceSpec c : carriedBy(plan.spec().device(ns, dev))) {
                awaitCarriedDad(c);
            }
            return null;
        });
    }

    /**
     * The devices whose carrier the up of {@code d} turns on: a veth's other end, the bridge either end
     * is a port of, the macvlans on either end, and in turn theirs.
     */
    private List<DeviceSpec> carriedBy(DeviceSpec d) {
        List<DeviceSpec> carried = new ArrayList<>();
        if (d.kind() == Kind.VETH) {
            carried.add(plan.spec().device(d.peerNs(), d.peerName()));
        }
        carried.add(d);
        for (int i = 0; i < carried.size(); i++) {
            DeviceSpec c = carried.get(i);
            for (DeviceSpec u : plan.spec().namespace(c.ns()).devices()) {
                boolean carries = u.kind() == Kind.MACVLAN && c.name().equals(u.lower())
                        || u.name().equals(c.master());
                if (carries && !carried.contains(u)) {
                    carried.add(u);
                }
            }
        }
        carried.remove(d);
        return carried;
    }

    /**
     * Waits out the DAD that an up began on device {@code c} by turning its carrier on (a veth end's
     * peer; the bridge of either end, a macvlan on it): the addresses an up without carrier gave back
     * stay tentative until then. Nothing when {@code c} is down, has no IPv6 address of its own, or is
     * no longer the topology's.
     */
    private void awaitCarriedDad(DeviceSpec c) {
        Link l;
        try {
            l = res.ownLink(plan.spec(), c.ns(), c.name());
        } catch (NoSuchElementException notOurs) {
            return;
        }
        if (hasIpv6(handle(c.ns()), l.index())) {
            awaitDad(handle(c.ns()), l);
        }
    }

    private static void awaitDad(NetlinkHandle h, Link l) {
        try {
            DownedLink.awaitDad(h, l.index());
        } catch (NetlinkException e) {
            throw DownedLink.gone(e, h, l);
        }
    }

    /**
     * Whether device {@code index}, just set up, has an IPv6 address of its own, whose DAD the up waits
     * out (a device without IPv6 pays nothing): where DAD runs (the root namespace, an adopted one) the
     * up began it for each, 1-2 s, the kernel's link-local one too, as when apply brings a device up;
     * where it does not, the kernel's link-local address is tentative until its DAD work has run,
     * moments later. DAD waits for a carrier: without one nothing is waited for.
     */
    private static boolean hasIpv6(NetlinkHandle h, int index) {
        return h.addrList().stream()
                .anyMatch(a -> a.index() == index && !a.isIpv4() && a.protocol() != Nl.IFAPROT_KERNEL_LL);
    }

    /**
     * Runs {@code op} on the topology's device {@code dev} of {@code ns} ({@link Resources#ownLink}) and
     * the down of it {@link #down} noted (null: none), which {@code op} returns as it is to be noted
     * now; one at a time per device: a wait of seconds does not belong in {@code op}, which holds a
     * lock of the map's that other devices share. Called inside {@link #live}. The device deleted between the lookup and a request of
     * {@code op}: ENODEV naming it and saying it is gone ({@link DownedLink#gone}).
     */
    private void onOwnLink(String ns, String dev, BiFunction<Link, DownedLink, DownedLink> op) {
        downed.compute(new DeviceKey(ns, dev), (k, noted) -> {
            Link l = res.ownLink(plan.spec(), ns, dev);
            afterLookup.accept(l);
            try {
                return op.apply(l, noted);
            } catch (NetlinkException e) {
                throw DownedLink.gone(e, handle(ns), l);
            }
        });
    }

    /** Whether {@link #down} set device {@code dev} of namespace {@code ns} down and no {@link #up} has ended it. */
    boolean isDowned(String ns, String dev) {
        return downed.containsKey(new DeviceKey(ns, dev));
    }

    /**
     * The open TAP device {@code dev} of namespace {@code ns}: frames as streams. The topology lends it
     * out ({@link TapDevice#lend}): closing it does nothing (the device stays), and it stays usable
     * until the topology closes it.
     *
     * @throws NullPointerException if {@code ns} or {@code dev} is null, naming it
     * @throws NoSuchElementException if the topology has no such namespace or device
     * @throws IllegalArgumentException if {@code dev} is not a tap
     * @throws IllegalStateException if the topology is closed
     */
    public TapDevice tap(String ns, String dev) {
        Objects.requireNonNull(ns, "ns");
        Objects.requireNonNull(dev, "dev");
        TapDevice tap = live(() -> {
            DeviceSpec d = plan.spec().device(ns, dev);
            if (d.kind() != Kind.TAP) {
                throw new IllegalArgumentException(
                        d.qualifiedName() + " is a " + d.kind().iproute2() + ", not a tap");
            }
            return res.taps.get(new DeviceKey(ns, dev));
        });
        if (tap != null) {
            tap.lend(Resources.OWNER); // also harmless when a close() has come between: it closed the tap as OWNER
        }
        return tap;
    }

    /**
     * Starts writing every frame crossing device {@code dev} of namespace {@code ns}, both
     * directions, to the pcap file {@code file} (tcpdump, Wireshark and netvirt-tap's
     * {@code PcapReader} read it). Any device of the namespace will do, including ones the topology
     * did not declare; nothing is added to the network. A device the topology declares is proven the
     * topology's, as {@link #down} and {@link #up} do: the topology's device, renamed, is captured under
     * its new name, not a device that took its name meanwhile, also while the capture starts (it is
     * bound by the ifindex proven the topology's). Close the capture to finish the file;
     * {@link #close()} closes the captures still open first.
     *
     * @throws NullPointerException if {@code ns}, {@code dev} or {@code file} is null, naming it
     * @throws NoSuchElementException if the topology has no namespace {@code ns}; also if the device of
     *         the declared name {@code dev} there is not the topology's (another's, made since)
     * @throws io.github.netvirt.netns.sys.SyscallException ENODEV when the namespace has no device {@code dev}
     * @throws NetlinkException ENODEV when the device {@code dev} the topology declares is gone
     * @throws IOException when the file cannot be created
     * @throws IllegalStateException if the topology is closed
     */
    public PacketCapture capture(String ns, String dev, Path file) throws IOException {
        Objects.requireNonNull(ns, "ns");
        Objects.requireNonNull(dev, "dev");
        Objects.requireNonNull(file, "file");
        enterOpen(state.readLock());
        try {
            NetNamespace n = namespaceOf(ns);
            PacketCapture c = plan.spec().namespace(ns).device(dev).isPresent()
                    ? PacketCapture.start(n, res.ownLink(plan.spec(), ns, dev).index(), file)
                    : PacketCapture.start(n, dev, file);
            synchronized (captures) {
                captures.removeIf(x -> !x.isOpen());
                captures.add(c);
            }
            return c;
        } finally {
            state.readLock().unlock();
        }
    }

    /**
     * The links of namespace {@code ns} as the kernel reports them now.
     *
     * @throws NullPointerException if {@code ns} is null, naming it
     * @throws NoSuchElementException if the topology has no namespace {@code ns}
     * @throws NetlinkException if the dump fails
     * @throws IllegalStateException if the topology is closed
     */
    public List<Link> linkList(String ns) {
        Objects.requireNonNull(ns, "ns");
        return live(() -> handle(ns).linkList());
    }

    /**
     * The link {@code dev} of namespace {@code ns} as the kernel reports it now. A device the
     * topology declares is proven the topology's, as {@link #down} and {@link #up} do: a device that
     * took its name meanwhile is not returned, and the topology's device, renamed, is, under its new
     * name. Any other
     * device of the namespace ({@code lo}, one made by others) is read by name.
     *
     * @throws NullPointerException if {@code ns} or {@code dev} is null, naming it
     * @throws NoSuchElementException if the topology has no namespace {@code ns}; also if the device of
     *         that name there is not the topology's (another's, made since)
     * @throws NetlinkException if the kernel has no such link ({@code ENODEV}) or the request fails
     * @throws IllegalStateException if the topology is closed
     */
    public Link link(String ns, String dev) {
        Objects.requireNonNull(ns, "ns");
        Objects.requireNonNull(dev, "dev");
        return live(() -> plan.spec().namespace(ns).device(dev).isPresent()
                ? res.ownLink(plan.spec(), ns, dev)
                : handle(ns).link(dev));
    }

    /**
     * The addresses of namespace {@code ns} as the kernel reports them now.
     *
     * @throws NullPointerException if {@code ns} is null, naming it
     * @throws NoSuchElementException if the topology has no namespace {@code ns}
     * @throws NetlinkException if the dump fails
     * @throws IllegalStateException if the topology is closed
     */
    public List<Address> addrList(String ns) {
        Objects.requireNonNull(ns, "ns");
        return live(() -> handle(ns).addrList());
    }

    /**
     * The routes of namespace {@code ns} (all tables) as the kernel reports them now.
     *
     * @throws NullPointerException if {@code ns} is null, naming it
     * @throws NoSuchElementException if the topology has no namespace {@code ns}
     * @throws NetlinkException if the dump fails
     * @throws IllegalStateException if the topology is closed
     */
    public List<Route> routeList(String ns) {
        Objects.requireNonNull(ns, "ns");
        return live(() -> handle(ns).routeList());
    }

    /**
     * Puts {@code condition} (rate, delay, jitter, loss) on the live veth pair whose end is
     * {@code dev} in namespace {@code ns}, in both directions, until the returned handle is healed
     * or the topology closes. Applied as a condition declared with the link would be
     * ({@link TopologyBuilder#delay}): netem where the kernel has it, else a seeded userspace relay
     * ({@link ConditionedLink}). netvirt-faults' {@code LinkConditionFault} wraps it as a {@code Fault}.
     * A seed of 0 (that of {@link LinkCondition#NONE}) stands for none: the condition then gets the
     * seed one declared on {@code ns}/{@code dev} would get, derived from the link's names.
     *
     * @throws NullPointerException if {@code ns}, {@code dev} or {@code condition} is null, naming it
     * @throws NoSuchElementException if the topology has no such namespace or device
     * @throws IllegalArgumentException if {@code dev} is not a veth end, or the condition is empty, or
     *         (before anything changes) it needs the relay and an end's MTU is above a TAP's maximum
     * @throws NetlinkException EEXIST, before anything changes, naming the condition, if either end of
     *         the link has one of this topology's (in {@link #conditions()}, or being put on by another
     *         thread: of two at once on the two ends, one wins): a link takes one condition at a time;
     *         or, naming the end, EEXIST when an end has a root or clsact qdisc of its own (someone else's);
     *         nothing is left behind
     * @throws IllegalStateException if the topology is closed
     */
    public ConditionedLink condition(String ns, String dev, LinkCondition condition) {
        Objects.requireNonNull(ns, "ns");
        Objects.requireNonNull(dev, "dev");
        Objects.requireNonNull(condition, "condition");
        return live(() -> LinkConditions.apply(plan.spec(), plan.spec().device(ns, dev), condition, res));
    }

    /**
     * The link conditions in force: those declared with the links and those added by
     * {@link #condition}, until healed.
     *
     * @throws IllegalStateException if the topology is closed
     */
    public List<ConditionedLink> conditions() {
        return live(() -> List.copyOf(res.conditions));
    }

    /**
     * Starts a change of this live network, in the builder's vocabulary: the builder already holds
     * this topology's description (enter a namespace with {@code ns(...)}, select a device with
     * {@code dev(...)}), and what is declared on it is added. Its {@code spec()} is the description
     * after the change; its {@code plan()} and {@code toScript()} show only the difference; its
     * {@code apply()} makes the difference and returns this topology. What a change may do so far:
     * add namespaces, devices (also in the namespaces that are there, e.g. a bridge port or a tap),
     * addresses (also on devices that are there), routes (also through devices that are there),
     * forwarding on a namespace that is there; remove devices, namespaces, addresses and routes
     * ({@link TopologyBuilder#removeDevice}, {@link TopologyBuilder#removeNamespace},
     * {@link TopologyBuilder#removeAddr}, {@link TopologyBuilder#removeRoute}). Changing a device that is
     * there beyond its addresses, removing a route the kernel lists otherwise than the topology added it,
     * declaring again a route the same change removed, removing a subnet's primary IPv4 address while another on the subnet stays
     * (see {@link TopologyBuilder#removeAddr}), turning forwarding off, adopting namespaces, and
     * declaring again a device or namespace the same change removed (see
     * {@link TopologyBuilder#removeDevice}: two changes do it), and adding a route through a device that {@link #down}
     * set down (the kernel takes none: {@link #up} it first) or a {@code LinkCut} of netvirt-faults holds down,
     * a device named as a link condition's relay TAP ({@code nvcN}, the topology's own), and a MAC that a live
     * device of the new device's layer-2 segment has (as the kernel lists it) are
     * refused ({@link InvalidTopologyException}) before
     * the kernel is touched. {@code apply()} makes the additions first, atomically: on failure the
     * network is as before and the {@link ApplyException} names the step; then it deletes what is
     * removed (requests that do not fail on the topology's own objects short of a kernel fault). Everything added is owned as if built with the topology: removed by
     * {@link #close()}, and by {@link #cleanup()} after a crash. Changes wait for the live calls in
     * progress, and live calls for a change in progress; a change on a closed topology throws
     * {@code IllegalStateException("topology is closed")}, and so does one begun before another
     * change was applied ({@code IllegalStateException}: begin it again).
     *
     * <pre>{@code
     * seed.change()
     *     .ns("net2").veth("net2-bridge", "bridge", "bridge-net2").addr("10.0.1.3/24")
     *     .ns("bridge").dev("br").ports("bridge-net2")
     *     .apply();
     * }</pre>
     *
     * @throws IllegalStateException if the topology is closed
     */
    public TopologyBuilder change() {
        return live(() -> LiveChange.builder(this));
    }

    /** The plan of what {@code after}, a change begun from {@code base}, adds to this topology's description. */
    Plan planChange(TopologySpec base, TopologySpec after) {
        return live(() -> {
            ensureCurrent(base);
            return LiveChange.delta(this, res, after);
        });
    }

    /**
     * Applies what {@code after}, a change begun from {@code base}, adds, atomically (see {@link #change()});
     * returns the description the topology has now, from which the builder goes on.
     */
    TopologySpec applyChange(TopologySpec base, TopologySpec after, ApplyOptions options) {
        enterOpen(state.writeLock());
        try {
            // no down of another thread (a LinkCut) between the check of the held devices and the adds
            return DownedLink.withoutDowns(
                    List.copyOf(res.hosts.values()), () -> applyChangeLocked(base, after, options));
        } finally {
            state.writeLock().unlock();
        }
    }

    /** {@link #applyChange}, the write lock held and no down beginning meanwhile. */
    private TopologySpec applyChangeLocked(TopologySpec base, TopologySpec after, ApplyOptions options) {
        ensureCurrent(base);
        Plan delta = LiveChange.delta(this, res, after);
        // the caller (TopologyBuilder#apply) holds back an interrupt pending when the change began
        Applier.cancelIfInterrupted("change");
        TopologySpec before = plan.spec();
        // the names stay published where code may be looking them up meanwhile, but in the namespaces
        // the change removes: withdrawn there while they are open (a removed one's inode is reused later)
        withdrawHostNames(removedHosts(before, after));
        List<RuntimeException> forgetting = new ArrayList<>();
        try {
            LiveChange.apply(plan.spec(), delta, res, options, () -> {
                plan = Planner.plan(after);
                // an address or a route it removes that a down took, whoever's (this one's, a LinkCut's),
                // leaves the down's note before the deletions, not after: a heal meanwhile gives back
                // what the note still holds, which they then delete
                try {
                    forgetRemoved(before, after);
                } catch (RuntimeException e) {
                    forgetting.add(e);
                }
            });
            // a device the change removed is not the one a later change may make by its name
            downed.entrySet().removeIf(e -> {
                DeviceKey k = e.getKey();
                if (after.findNamespace(k.ns()).flatMap(n -> n.device(k.dev())).isPresent()) {
                    return false;
                }
                e.getValue().release();
                return true;
            });
            EachOf.throwFirst(forgetting);
        } finally {
            res.keepRouteOutputs(plan.spec()); // the change's description, or the one before it
            publishHostNamesAgain(); // the new hosts' names, or the old ones again
        }
        return plan.spec();
    }

    /**
     * Drops the addresses and routes {@code after}, a change of {@code before}, removes from what
     * the downs holding the namespace's devices down (through {@link #down} or not: a {@code LinkCut}
     * of netvirt-faults) took from them, so that the last down's up does not give them back. Reads
     * the kernel (a device's ifindex) only for the devices of a namespace the change removed
     * something from.
     */
    private void forgetRemoved(TopologySpec before, TopologySpec after) {
        for (NamespaceSpec was : before.namespaces()) {
            Optional<NamespaceSpec> now = after.findNamespace(was.name());
            if (now.isEmpty()) {
                continue;
            }
            List<NamespaceRoute> removed = was.routes().stream()
                    .filter(r -> !now.get().routes().contains(r))
                    .toList();
            for (DeviceSpec d : was.devices()) {
                Optional<DeviceSpec> stays = now.get().device(d.name());
                if (stays.isEmpty()) {
                    continue;
                }
                List<IpPrefix> gone = d.addresses().stream()
                        .filter(a -> !stays.get().addresses().contains(a))
                        .toList();
                if (removed.isEmpty() && gone.isEmpty()) {
                    continue;
                }
                OptionalInt index = res.ownIndex(before, was.name(), d.name());
                if (index.isEmpty()) {
                    continue;
                }
                if (!gone.isEmpty()) {
                    DownedLink.withoutAddresses(res.handle(was.name()).namespace(), index.getAsInt(), gone::contains);
                }
                if (!removed.isEmpty()) {
                    DownedLink.withoutRoutes(
                            res.handle(was.name()).namespace(),
                            index.getAsInt(),
                            r -> removed.stream()
                                    .anyMatch(x -> x.destination().equals(r.destination())
                                            && x.metric() == r.metric()
                                            && x.table() == r.table()
                                            && Objects.equals(x.gateway(), r.gateway())
                                            && (x.dev() == null
                                                    ? Objects.equals(res.routeOutputs.get(x), index.getAsInt())
                                                    : x.dev().equals(d.name()))));
                }
            }
        }
    }

    /**
     * The shell command that removes this topology once {@link #detach() detached}, for one without a
     * JVM at hand: {@code ip link del} of each device it made in the root namespace, {@code ip netns
     * del} of each of its namespaces, then {@code rm -f} of its crash record, joined by {@code &&} (a
     * step that fails leaves the record, for {@link #removeDetached(String)}). It goes by names, as
     * they are now: meant to be run soon, not kept. Empty when a shell cannot remove exactly what
     * {@link #removeDetached(String)} would: the topology has adopted namespaces, or processes started
     * detached that still run.
     *
     * @throws IllegalStateException if the topology is closed
     */
    public Optional<String> removalCommand() {
        enterOpen(state.readLock());
        try {
            TopologySpec spec = plan.spec();
            List<String> steps = new ArrayList<>();
            for (Step s : plan.steps()) {
                String dev = RootDevices.createdBy(s);
                if (dev != null) {
                    steps.add("ip link del " + TopologySpec.shellWord(dev));
                }
            }
            for (NamespaceSpec n : spec.namespaces()) {
                if (n.adopted()) {
                    return Optional.empty();
                }
                if (n.kernelName() != null) {
                    steps.add("ip netns del " + TopologySpec.shellWord(n.kernelName()));
                }
            }
            for (NetNamespace ns : res.hosts.values()) {
                if (ns.isOpen() && !ns.detachedProcesses().isEmpty()) {
                    return Optional.empty();
                }
            }
            CrashRecord r = res.record;
            if (r != null) {
                steps.add("rm -f "
                        + TopologySpec.shellWord(r.path().toAbsolutePath().toString()));
            }
            return Optional.of(String.join(" && ", steps));
        } finally {
            state.readLock().unlock();
        }
    }

    /**
     * Leaves the network in place after this JVM: releases every handle without removing anything
     * and marks the crash record as kept, so {@link #cleanup()} leaves it alone.
     * {@link #removeDetached(String)} (by its prefix or a namespace name) or
     * {@link TopologyBuilder#removeDetached()} removes it later. Only for named namespaces. Processes
     * started through {@link #namespace} are ended as by {@link #close()} (they could not outlive the JVM
     * anyway); start them with {@link NetNamespace#startDetached} to keep them with the network: the
     * record keeps those still running (by pid and start time), and the removal of the network ends
     * them as {@link #close()} ends the others (SIGTERM, up to 1 s, SIGKILL; their descendants too),
     * before its namespaces lose their names. Link
     * conditions the kernel carries ({@link ConditionedLink.Mode#TBF}, {@link ConditionedLink.Mode#NETEM})
     * stay in force with the network, and their handles let go of them ({@link ConditionedLink#heal()}
     * then does nothing). Faults of netvirt-faults heal, as their handles close; in the namespaces
     * the topology does not own, the kept record notes it, so that {@link #removeDetached} does not
     * undo them again. Waits for the live calls in progress; later ones throw
     * {@code IllegalStateException("topology is closed")}.
     *
     * @throws IllegalStateException if the topology is closed, ephemeral, has no named namespace, has taps
     *         or has a link condition carried by the relay in this JVM ({@link ConditionedLink.Mode#RELAY}:
     *         it ends with the JVM); nothing is changed then
     */
    public void detach() {
        enterOpen(state.writeLock());
        try {
            ShutdownRollback.closing(this::detachLocked);
        } finally {
            state.writeLock().unlock();
        }
    }

    /** {@link #detach()}, the write lock held: one the shutdown hook waits for, as a close. */
    private void detachLocked() {
        if (plan.spec().ephemeral()) {
            throw new IllegalStateException("an ephemeral topology cannot outlive its handles");
        }
        if (plan.spec().namespaces().stream().allMatch(n -> n.kernelName() == null)) {
            throw new IllegalStateException("a topology without a named namespace cannot be detached:"
                    + " removeDetached() finds a kept topology by its named namespaces");
        }
        if (!res.taps.isEmpty()) {
            throw new IllegalStateException("a topology with taps cannot be detached: they close with it");
        }
        for (ConditionedLink c : res.conditions) {
            if (c.mode() == ConditionedLink.Mode.RELAY) {
                throw new IllegalStateException("a topology with a link condition carried by the relay in this JVM"
                        + " cannot be detached: the relay ends with the JVM (" + c + ")");
            }
        }
        CrashRecord kept = res.record;
        Map<NetNamespace, Long> hosts = new LinkedHashMap<>();
        Set<ProcessHandle> recorded = new HashSet<>();
        if (kept != null) {
            for (NetNamespace ns : res.hosts.values()) {
                if (ns.isOpen()) {
                    hosts.put(ns, ns.cookie());
                }
            }
            recordDetachedProcesses(kept, hosts, recorded);
            kept.keptOpen();
            res.record = null;
        }
        try {
            res.conditions.forEach(ConditionedLink::keep); // the kernel carries them on
            res.conditions.clear();
            closeCaptures();
            withdrawHostNames();
            res.named.clear();
            res.rootGroup = 0;
            res.adoptedGroup = 0;
            closed = true; // before the namespaces close: the code inside they interrupt gives up the lock wait
            // the faults on adopted and root namespaces heal as their handles close: noted in the
            // kept record, whose cleanup would otherwise set up a device someone set down since
            Uninterrupted.call(res::teardown);
            releaseDowns();
            closeNanos = 0;
        } finally {
            if (kept != null) {
                try {
                    // again, now that the handles are closed: a startDetached() that was under way
                    // has put its process in the list by now, or is refused and ends it
                    recordDetachedProcesses(kept, hosts, recorded);
                } finally {
                    kept.letGo();
                }
            }
        }
    }

    /**
     * Writes the processes started detached through {@code hosts} (with their cookies), still running,
     * in {@code record}, but those in {@code recorded} (to which it adds them): by pid, start time and
     * pidfs inode, so that the removal of the detached topology ends them and nothing else (pid and
     * start time alone are those of a process given the pid in the clock tick one started too).
     */
    private static void recordDetachedProcesses(
            CrashRecord record, Map<NetNamespace, Long> hosts, Set<ProcessHandle> recorded) {
        for (Map.Entry<NetNamespace, Long> h : hosts.entrySet()) {
            for (ProcessHandle p : h.getKey().detachedProcesses()) {
                if (recorded.contains(p)) {
                    continue;
                }
                int pidfd = Sys.pidfdOf(p.pid()); // before the reads: the process of the pid then
                try {
                    long pid = ProcPids.of(p.pid()); // the record's pids are /proc's, as its owner's
                    String start = pid > 0 ? Owner.startTimeOrNull(pid) : null;
                    // still p after its start time was read: that start time is its, and the pidfd
                    // (the JDK's own check reads /proc by the JVM's pid, another process's entry where
                    // /proc numbers otherwise)
                    if (start != null
                            && ProcPids.toJvm(pid) == p.pid()
                            && (ProcPids.sameAsJvm() ? p.isAlive() : Owner.alive(pid, start))
                            && (pidfd < 0 || !Sys.pidfdExited(pidfd))) {
                        record.process(pid, start, h.getValue(), pidfd < 0 ? 0 : Sys.pidfsInode(pidfd));
                        recorded.add(p);
                    }
                } finally {
                    Sys.closeQuietly(pidfd);
                }
            }
        }
    }

    /**
     * Removes everything this topology created and waits until the kernel has: its names under
     * {@code /run/netns} and its devices in the root namespace are gone when this returns. Waits
     * first for the live calls in progress on other threads (this topology's methods; code running
     * inside a namespace through {@link NetNamespace#call} is interrupted when the namespaces close,
     * all of them before any is waited for, and waited for up to 5 s in all); calls made from now on
     * throw {@code IllegalStateException("topology is closed")}, at once, those that such code makes
     * while close() waits for it too. Then, while the network is still intact, it ends the processes
     * started through its hosts ({@link NetNamespace#start}): SIGTERM to them and their descendants, up
     * to 1 s for all of them together, then SIGKILL. Processes started with
     * {@link NetNamespace#startDetached} are left running (and keep their namespace alive).
     * Idempotent; a second call, concurrent or later, returns once the first has finished, but for one
     * that code running inside makes while the first waits for it: that one returns at once, its
     * interrupt status set. An interrupt of the closing thread, pending or arriving while it runs, does
     * not cancel it: it is held back until close() is done, then set again.
     *
     * <p>Called by code running inside one of the topology's namespaces, close() neither interrupts
     * nor waits for the task it runs in, as a thread cannot end itself: it removes the rest as usual
     * and returns to the task, which goes on inside its namespace, nameless by then; the kernel keeps
     * that namespace, with the devices still inside it, until the task returns.
     *
     * <p>When part of the teardown fails (a before-close action throws, a device cannot be deleted), the
     * crash record goes too if nothing it names is left; else it stays, its lock let go (no descriptor of
     * it stays open), for {@link #cleanup()}: this JVM's removes what is left at once, by identity,
     * another JVM's once this one has exited.
     *
     * @throws RuntimeException the first failure of the teardown (the others suppressed in it),
     *         after everything else was still removed
     */
    @Override
    public void close() {
        if (!enter(state.writeLock(), false)) {
            return; // another close() is under way and ends this thread's task: it cannot wait for that close
        }
        try {
            if (closed) {
                return;
            }
            closed = true;
            long start = System.nanoTime();
            List<RuntimeException> errors = ShutdownRollback.closing(() -> {
                withdrawHostNames();
                List<RuntimeException> failed = new ArrayList<>(closeCaptures());
                failed.addAll(Uninterrupted.call(res::teardown));
                releaseDowns();
                return failed;
            });
            closeNanos = System.nanoTime() - start;
            EachOf.throwFirst(errors);
        } finally {
            state.writeLock().unlock();
        }
    }

    /** Ends the downs of the topology without setting their devices up (the others may nest on them). */
    private void releaseDowns() {
        downed.values().forEach(DownedLink::release);
        downed.clear();
    }

    /** Whether {@link #close()} or {@link #detach()} has not started yet. */
    public boolean isOpen() {
        return !closed;
    }

    /** Runs {@code call} while the topology cannot close under it. */
    /**
     * The device of the topology the kernel put route {@code r}, declared without a device, out of,
     * as the add's echo told ({@link Resources#routeOutputs}); null if that was never learnt or the
     * device is no longer the topology's.
     */
    String routeOutput(NamespaceRoute r) {
        return live(() -> {
            Integer chosen = res.routeOutputs.get(r);
            if (chosen == null) {
                return null;
            }
            TopologySpec spec = plan.spec();
            for (DeviceSpec d : spec.namespace(r.ns()).devices()) {
                OptionalInt own = res.ownIndex(spec, r.ns(), d.name());
                if (own.isPresent() && own.getAsInt() == chosen) {
                    return d.name();
                }
            }
            return null;
        });
    }

    private <T> T live(Supplier<T> call) {
        enterOpen(state.readLock());
        try {
            return call.get();
        } finally {
            state.readLock().unlock();
        }
    }

    private void publishHostNames() {
        synchronized (publication) {
            if (!published) {
                HostNames.publish(plan.spec(), res);
                published = true;
            }
        }
    }

    /** Publishes the host names of the description now in force, where they were published. */
    private void publishHostNamesAgain() {
        synchronized (publication) {
            if (published) {
                HostNames.publish(plan.spec(), res);
            }
        }
    }

    /** Withdraws the host names from the namespaces {@code hosts} (logical names), if they were published. */
    private void withdrawHostNames(Set<String> hosts) {
        synchronized (publication) {
            if (published) {
                HostNames.withdraw(res, hosts);
            }
        }
    }

    /** The namespaces of {@code before} that {@code after} no longer has. */
    private static Set<String> removedHosts(TopologySpec before, TopologySpec after) {
        Set<String> removed = new HashSet<>();
        for (NamespaceSpec n : before.namespaces()) {
            if (after.findNamespace(n.name()).isEmpty()) {
                removed.add(n.name());
            }
        }
        return removed;
    }

    /** Withdraws the host names if they were published. */
    private void withdrawHostNames() {
        synchronized (publication) {
            if (published) {
                HostNames.withdraw(res);
                published = false;
            }
        }
    }

    private NetNamespace namespaceOf(String ns) {
        // the hosts map takes no null key: null is no namespace here, as for the description's look-ups
        NetNamespace h = ns == null ? null : res.hosts.get(ns);
        if (h == null) {
            throw new NoSuchElementException("no namespace " + TopologySpec.label(ns) + " in this topology");
        }
        return h;
    }

    private NetlinkHandle handle(String ns) {
        namespaceOf(ns);
        return res.handle(ns);
    }

    private List<RuntimeException> closeCaptures() {
        List<PacketCapture> open;
        synchronized (captures) {
            open = new ArrayList<>(captures);
            captures.clear();
        }
        return EachOf.releaseAll(open, PacketCapture::close);
    }

    /**
     * Takes {@code lock} of {@link #state} (the caller unlocks it) and ensures the topology is open;
     * throws {@code IllegalStateException("topology is closed")} instead, also without waiting for the
     * lock to be free once the topology is closing (see {@link #enter}).
     */
    private void enterOpen(Lock lock) {
        if (!enter(lock, true)) {
            throw new IllegalStateException(CLOSED);
        }
        try {
            ensureOpen();
        } catch (RuntimeException e) {
            lock.unlock();
            throw e;
        }
    }

    /**
     * Takes {@code lock} of {@link #state}, or gives up (false) once the topology is closed (or
     * closing): with {@code anyTime}, as soon as it is (see {@link #CLOSING_POLL_MILLIS}); else when
     * an interrupt comes while it is, as close() interrupts the code running inside the topology's
     * namespaces and then waits for it with the lock held. On a thread inside a namespace whose
     * handle is being closed (a change that removes it holds the lock and waits for the thread) an
     * interrupt ends the wait with an {@code IllegalStateException}. An interrupt is otherwise held
     * back while it waits, and its interrupt status kept ({@link Uninterrupted#setAgain}).
     */
    private boolean enter(Lock lock, boolean anyTime) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (!anyTime) {
                        lock.lockInterruptibly();
                        return true;
                    }
                    if (lock.tryLock(CLOSING_POLL_MILLIS, TimeUnit.MILLISECONDS)) { // fair, unlike tryLock()
                        return true;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                    if (closed) {
                        return false;
                    }
                    if (Residency.homeClosing()) { // its closer waits for it, holding what it waits for
                        throw new IllegalStateException(HOME_CLOSING);
                    }
                }
                if (anyTime && closed) {
                    return false;
                }
            }
        } finally {
            if (interrupted) {
                Uninterrupted.setAgain();
            }
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(CLOSED);
        }
    }

    /**
     * Refuses a change begun from {@code base} once another change has been applied since: its
     * description lacks what that one added, and the difference would delete it.
     */
    private void ensureCurrent(TopologySpec base) {
        if (!plan.spec().equals(base)) {
            throw new IllegalStateException("the topology has changed since this change() began (another change was"
                    + " applied): begin a new change() from the topology as it is now");
        }
    }

    /** The namespaces and their devices, one per line, as declared (its changes included). */
    @Override
    public String toString() {
        return render((ns, d) -> d.up() ? "up" : "down");
    }

    /**
     * As {@link #toString}, but each device's up or down as the kernel reports it now where that
     * differs from the declaration: {@code declared up; now down} after a {@link #down} or a fault
     * that cut the link, {@code declared up; now unreadable (REASON)} for a device gone or not the
     * topology's any more. One link request per device: meant for failure messages. A closed
     * topology is described as declared.
     */
    public String describeLive() {
        if (!enter(state.readLock(), true)) {
            return toString();
        }
        try {
            if (!isOpen()) {
                return toString();
            }
            return render((ns, d) -> {
                String declared = d.up() ? "up" : "down";
                try {
                    boolean up = res.ownLink(plan.spec(), ns, d.name()).isUp();
                    return up == d.up() ? declared : "declared " + declared + "; now " + (up ? "up" : "down");
                } catch (RuntimeException e) {
                    return "declared " + declared + "; now unreadable (" + e.getMessage() + ")";
                }
            });
        } finally {
            state.readLock().unlock();
        }
    }

    private String render(BiFunction<String, DeviceSpec, String> upOrDown) {
        StringBuilder s = new StringBuilder();
        TopologySpec spec = plan.spec();
        for (NamespaceSpec n : spec.namespaces()) {
            s.append(
                    n.root()
                            ? "root namespace"
                            : n.adopted()
                                    ? "netns " + n.name() + " (adopted " + n.adoption() + ")"
                                    : "netns " + n.name()
                                            + (n.kernelName() != null
                                                            && !n.kernelName().equals(n.name())
                                                    ? " (" + n.kernelName() + ")"
                                                    : "")
                                            + (spec.ephemeral() ? " (ephemeral)" : ""));
            if (n.forwarding()) {
                s.append(" forwarding");
            }
            s.append('\n');
            for (DeviceSpec d : n.devices()) {
                s.append("  ").append(d.name()).append(' ').append(d.kind().iproute2());
                if (d.isVeth()) {
                    s.append(" peer ").append(d.qualifiedPeerName());
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
                if (d.queues() > 0) {
                    s.append(" queues ").append(d.queues());
                }
                s.append(' ').append(upOrDown.apply(n.name(), d));
                if (d.quiet()) {
                    s.append(" quiet");
                }
                d.addresses().forEach(a -> s.append(' ').append(a));
                s.append('\n');
            }
            n.routes().forEach(r -> s.append("  route ").append(r.iproute2()).append('\n'));
        }
        return s.toString();
    }
}
