package io.github.netvirt.core;

import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.NamespaceRoute;
import io.github.netvirt.core.spec.NamespaceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.netlink.Link;
import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NameState;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.ReservedName;
import io.github.netvirt.netns.internal.EachOf;
import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.tap.TapDevice;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The kernel objects a topology holds: namespace handles (and which of them carry a name under
 * {@code /run/netns}), one netlink handle per namespace, open taps, devices made in the root
 * namespace, and the crash record. {@link #teardown()} releases all of it, for close() and rollback.
 */
final class Resources {
    private static final System.Logger LOG = System.getLogger(Resources.class.getName());
    /**
     * The owner that lends the handles out ({@link Topology#namespace}, {@link Topology#netlink},
     * {@link Topology#tap}): their plain close() then does nothing, and only close(OWNER) closes them.
     */
    static final Object OWNER = new Object() {
        @Override
        public String toString() {
            return "netvirt-core topology";
        }
    };

    final Map<String, NetNamespace> hosts = new ConcurrentHashMap<>();
    final Map<String, NetlinkHandle> handles = new ConcurrentHashMap<>();
    /** logical namespace -> kernel name, for namespaces this topology named under /run/netns. */
    final Map<String, String> named = new ConcurrentHashMap<>();
    /**
     * logical namespace -> its name under /run/netns, taken before the namespace is made
     * ({@link Namespaces#provision}) and not yet mounted on: given back by teardown.
     */
    final Map<String, ReservedName> reserved = new ConcurrentHashMap<>();

    final Map<DeviceKey, TapDevice> taps = Collections.synchronizedMap(new LinkedHashMap<>());
    /**
     * The device group that tags every device this topology creates in the root namespace (set in
     * the creating request), 0 when it creates none there: teardown finds them by it, even those
     * whose ack was lost.
     */
    volatile int rootGroup;
    /** The logical names of the adopted namespaces (see {@link Adoptions}): never named or removed by the topology. */
    final Set<String> adopted = ConcurrentHashMap.newKeySet();
    /**
     * The device group that tags every device this topology creates in the namespaces it adopted
     * (set in the creating request), 0 when it creates none there: teardown removes those, and only those.
     */
    volatile int adoptedGroup;

    volatile CrashRecord record;

    /**
     * Whether {@link #deviceIndexes} holds every device the topology made in the root and adopted
     * namespaces: once its apply has returned. Until then (an apply rolled back) an ack may have gone
     * unread, and teardown knows those devices by their group alone.
     */
    volatile boolean everyIndexKnown;

    /**
     * The highest ifindex chosen or seen in each namespace the topology made, by logical name, over
     * the topology's life: what its changes number their devices above ({@link Ifindexes}), so that
     * no device gets the index of one removed before.
     */
    final Map<String, Integer> ifindexMarks = new ConcurrentHashMap<>();

    /**
     * The ifindex for a device the topology makes in namespace {@code ns} outside a plan (a link
     * condition's relay TAP): above the mark and every index in use there now, which it becomes the
     * mark; 0 in a namespace the topology did not make, where the kernel chooses.
     */
    int nextIfindex(String ns) {
        if (!ifindexMarks.containsKey(ns)) {
            return 0;
        }
        int inUse = Namespaces.highestInUse(handle(ns));
        Integer next = ifindexMarks.computeIfPresent(ns, (n, mark) -> Ifindexes.above(Math.max(mark, inUse), ns));
        return next == null ? 0 : next;
    }

    /**
     * The ifindex the kernel put each route the topology added out of (for one declared without a
     * device, the one it chose for the gateway), as the add's echo reported it ({@link RouteAddStep}):
     * the proof that the topology's request made it, which a failed change deletes
     * ({@link LiveChange}), and what proves a route declared without a device that the kernel lists
     * later by its destination, metric and table the topology's ({@link RouteDelStep#ours}). Only the
     * routes of the live description ({@link #keepRouteOutputs}).
     */
    final Map<NamespaceRoute, Integer> routeOutputs = new ConcurrentHashMap<>();

    /**
     * The addresses the topology's requests added since the last change began, as their acks proved
     * ({@link AddrAddStep}): what a failed change deletes ({@link LiveChange}), never an address
     * someone else added first, whose add answered EEXIST.
     */
    final Set<MadeAddress> addressesMade = ConcurrentHashMap.newKeySet();

    /**
     * The sysctls each namespace's forwarding step overwrote since the last change began, as it read
     * them before its writes ({@link ForwardingStep}, {@code Sysctls.forwardingOn}): what a failed
     * change writes back in a namespace that was there ({@link LiveChange}). None where forwarding
     * was on already.
     */
    final Map<String, Map<String, String>> forwardingOverwritten = new ConcurrentHashMap<>();

    /** An address {@code prefix} added to the device {@code device} ({@link #addressesMade}). */
    record MadeAddress(DeviceKey device, IpPrefix prefix) {}

    /** Forgets the output of every route {@code spec} does not hold (removed, or added by a change undone). */
    void keepRouteOutputs(TopologySpec spec) {
        routeOutputs
                .keySet()
                .removeIf(r -> spec.findNamespace(r.ns())
                        .map(n -> !n.routes().contains(r))
                        .orElse(true));
    }

    /**
     * The crash record, begun now if the topology of {@code spec} needed none so far: for what
     * netvirt-faults notes in it ({@link RecordJournal}), while the topology is open.
     */
    synchronized CrashRecord recordForFaults(TopologySpec spec) {
        CrashRecord r = record;
        if (r == null) {
            r = CrashRecord.begin(RunDir.current(), RootDevices.describe(spec));
            record = r;
        }
        return r;
    }
    /** Link conditions in force (declared or live); each removes itself when healed. */
    final List<ConditionedLink> conditions = new CopyOnWriteArrayList<>();

    /**
     * Guarded by itself: the links a condition is being put on ({@link LinkConditions#apply}), each
     * until its condition is in {@link #conditions} or failed.
     */
    final List<LinkConditions.Claim> conditionClaims = new ArrayList<>();

    /**
     * The ifindex of each device of the topology, for the topology's life: in a namespace it made, the
     * index it chose ({@link Ifindexes}); in the root or an adopted namespace, as the kernel told it when
     * the topology made the device (its creating request's echo, a tap's fd; a vxlan made down, which is
     * not echoed: the device of its name, proven the topology's at once). What {@link #ownLink} knows the
     * device by, whatever it is named now: others may rename devices and make their own in any namespace
     * ({@code ip netns exec}, {@code ip -n}). A change adds those of the devices it makes and drops those
     * of the devices it removes or undoes ({@link #keepDeviceIndexes}).
     */
    final Map<DeviceKey, Integer> deviceIndexes = new ConcurrentHashMap<>();

    /**
     * Notes that device {@code dev}, which the topology made (or, in a namespace it made, is making),
     * has ifindex {@code ifindex} ({@link #deviceIndexes}).
     */
    void deviceMade(DeviceKey dev, int ifindex) {
        deviceIndexes.put(dev, ifindex);
    }

    /** Forgets the index of every device {@code spec} does not hold (removed, or made by a change undone). */
    void keepDeviceIndexes(TopologySpec spec) {
        deviceIndexes
                .keySet()
                .removeIf(k -> spec.findNamespace(k.ns())
                        .flatMap(n -> n.device(k.dev()))
                        .isEmpty());
    }

    /**
     * The link of device {@code dev} of namespace {@code ns} of {@code spec}, proven this topology's: the
     * device of the index the topology chose for it in a namespace it made, or the kernel told when the
     * topology made it in the root or an adopted namespace ({@link #deviceIndexes}), else (none told) the
     * device of its name; in the root and adopted namespaces one that carries the topology's device
     * group, or is the tap it holds open.
     *
     * <p>A device of the topology that someone renamed is still the topology's: the link of its index
     * is returned, under its name now, and what the caller does ({@link Topology#down}, a change's
     * {@code removeDevice} or {@code removeAddr}) is done to it, as close() deletes it whatever its
     * name; the device that took its name meanwhile (another's, or another device of the topology
     * renamed) is left alone. Refusing instead would leave the topology's device in place until close()
     * while the change reported it removed.
     *
     * @throws NoSuchElementException if {@code spec} has no such device, or the name is now someone else's
     *     (or, the device gone, another device's), or someone changed the device group of the device of
     *     its index (in the root or an adopted namespace: no longer proven the topology's, as for close())
     * @throws NetlinkException ENODEV when the namespace has no device of that name (nor, where it is
     *     known, of its index)
     */
    Link ownLink(TopologySpec spec, String ns, String dev) {
        DeviceSpec d = spec.device(ns, dev);
        NamespaceSpec n = spec.namespace(ns);
        Integer known = deviceIndexes.get(DeviceKey.of(d));
        boolean made = !n.root() && !n.adopted();
        Link l =
                known == null ? handle(ns).link(dev) : handle(ns).linkGet(known).orElse(null);
        if (l == null) {
            Link named = handle(ns).linkGet(dev).orElse(null);
            if (named == null) {
                throw NetlinkException.refused("link " + d.qualifiedName() + " (ifindex " + known + ")", Errno.ENODEV);
            }
            throw new NoSuchElementException(d.qualifiedName() + " is gone (there is no device of its ifindex "
                    + known + " any more): the device named " + dev + " there now (ifindex " + named.index()
                    + ") is not this topology's " + dev);
        }
        TapDevice tap = taps.get(new DeviceKey(ns, dev));
        int group = n.root() ? rootGroup : adoptedGroup;
        // in a namespace the topology made, the index it chose is the proof (no one else's choice
        // reaches above 2^24 there: Ifindexes), of the kind it made (someone may delete the device and
        // make one of theirs at its index: ip link add ... index N); group 0 (none drawn: the topology
        // made only taps there) is everyone's, no proof
        boolean ours = tap != null
                ? heldBy(tap, l)
                : made ? d.kind().iproute2().equals(l.kind()) : group != 0 && l.group() == group;
        if (!ours && tap == null && !made && known != null) {
            // the device of the index the kernel gave the topology's: its group is the proof, and
            // close() leaves it too (deleteOwn)
            throw new NoSuchElementException(d.qualifiedName() + " (ifindex " + known + ", now named " + l.name()
                    + ") is not proven this topology's any more: someone changed its device group from "
                    + Integer.toUnsignedString(group) + " to " + Integer.toUnsignedString(l.group()));
        }
        if (!ours) {
            throw new NoSuchElementException(d.qualifiedName() + " is gone: the device "
                    + (known == null ? "named " + dev : "of its index " + known + " (" + l.name() + ")")
                    + " there now is not this topology's ("
                    + (tap != null
                            ? "not the tap it holds open"
                            : made
                                    ? "a " + l.kind() + ", not a " + d.kind().iproute2()
                                    : "device group " + Integer.toUnsignedString(l.group()))
                    + ")");
        }
        return l;
    }

    /**
     * The names devices {@code devices} of namespace {@code ns} have now, each the device {@link #ownLink}
     * proves the topology's; a device gone, or whose name is someone else's with the device gone, is
     * left out; one {@code spec} does not hold keeps its name.
     */
    List<String> namesNow(TopologySpec spec, String ns, Collection<String> devices) {
        List<String> now = new ArrayList<>();
        for (String dev : devices) {
            if (spec.findNamespace(ns).flatMap(n -> n.device(dev)).isEmpty()) {
                now.add(dev);
                continue;
            }
            try {
                now.add(ownLink(spec, ns, dev).name());
            } catch (NoSuchElementException e) {
                // gone, its name someone else's: nothing of the topology's to set
            } catch (NetlinkException e) {
                if (!e.isNoDevice()) {
                    throw e;
                }
            }
        }
        return now;
    }

    /** Whether {@code l} is the device behind {@code tap}'s fd: not once the tap is closed, moved away or deleted. */
    private static boolean heldBy(TapDevice tap, Link l) {
        try {
            return tap.isOpen() && tap.ifindex() == l.index();
        } catch (IllegalStateException e) {
            return false; // closed meanwhile, or no longer in the namespace
        }
    }

    /**
     * The ifindex of {@link #ownLink}, for a change that deletes the device or one of its addresses:
     * empty when the device is gone, or its name in the root or an adopted namespace is now
     * someone else's (left alone).
     */
    OptionalInt ownIndex(TopologySpec spec, String ns, String dev) {
        try {
            return OptionalInt.of(ownLink(spec, ns, dev).index());
        } catch (NoSuchElementException e) {
            return OptionalInt.empty();
        } catch (NetlinkException e) {
            if (e.isNoDevice()) {
                return OptionalInt.empty();
            }
            throw e;
        }
    }

    NetlinkHandle handle(String ns) {
        NetlinkHandle h = handles.get(ns);
        if (h == null) {
            throw new IllegalStateException("no netlink handle for namespace " + TopologySpec.label(ns));
        }
        return h;
    }

    /**
     * Removes everything, by identity: processes started in the hosts ended (SIGTERM, up to 1 s,
     * SIGKILL), taps closed, root-namespace devices carrying
     * {@link #rootGroup} deleted (synchronously: their names are free when this returns), handles
     * closed, names under {@code /run/netns} that still hold this topology's namespaces removed and
     * namespace handles released. Devices inside a namespace go with it; nothing outside can see
     * them any more once its name and every handle are gone. Returns the failures (the rest is
     * still done). The crash record is removed when there were none, or when nothing it names is left
     * (the failure was a before-close action's, say); else it is let go ({@link CrashRecord#abandon}):
     * its lock dropped, the file left for a cleanup, this JVM's at once, another JVM's once this one
     * has exited.
     */
    List<RuntimeException> teardown() {
        LOG.log(
                System.Logger.Level.DEBUG,
                () -> "teardown: " + hosts.size() + " namespaces (" + named.size() + " named), " + taps.size() + " taps"
                        + (rootGroup != 0 ? ", root devices of group " + rootGroup : ""));
        long start = System.nanoTime();
        List<RuntimeException> errors = new ArrayList<>();
        // first, while the network is intact: processes may be talking over it as they shut down
        NetNamespace.endProcesses(hosts.values());
        // then the conditions: their relays hold TAP fds, which would keep the namespaces alive
        List<ConditionedLink> healing = List.copyOf(conditions);
        errors.addAll(EachOf.releaseAll(healing, ConditionedLink::heal));
        // one whose heal threw keeps its relay running; a relay that fails to close stops no other step
        errors.addAll(EachOf.releaseAll(healing, ConditionedLink::stopRelay));
        conditions.clear();
        errors.addAll(closeTaps(t -> true));
        int adoptedTag = adoptedGroup;
        if (adoptedTag != 0) {
            // synchronously, and before the topology's own namespaces go: a veth end left in an adopted
            // namespace would otherwise linger until the kernel's asynchronous cleanup of its peer's namespace
            errors.addAll(EachOf.releaseAll(adopted, a -> {
                NetlinkHandle h = handles.get(a);
                if (h != null) {
                    deleteOwn(h, a, adoptedTag);
                }
            }));
            if (errors.isEmpty()) {
                adoptedGroup = 0;
            }
        }
        int group = rootGroup;
        if (group != 0) {
            NetlinkHandle root = handles.get(TopologySpec.ROOT);
            try {
                if (root != null) {
                    deleteOwn(root, TopologySpec.ROOT, group);
                } else {
                    try (NetNamespace ns = NetNamespace.root();
                            NetlinkHandle h = NetlinkHandle.open(ns)) {
                        deleteOwn(h, TopologySpec.ROOT, group);
                    }
                }
                rootGroup = 0;
            } catch (RuntimeException e) {
                errors.add(e);
            }
        }
        List<RuntimeException> nameErrors = Collections.synchronizedList(new ArrayList<>());
        List<Runnable> deletes = new ArrayList<>();
        for (Map.Entry<String, NetNamespace> e : hosts.entrySet()) {
            NetNamespace ns = e.getValue();
            String name = named.remove(e.getKey());
            if (name != null) {
                // the socket closed by the deleting thread: its close then overlaps other threads' unmounts
                NetlinkHandle h = handles.remove(e.getKey());
                deletes.add(() -> {
                    try {
                        deleteIfStillOurs(name, ns, nameErrors);
                    } finally {
                        if (h != null) {
                            h.close(OWNER);
                        }
                    }
                });
            }
        }
        for (NetlinkHandle h : handles.values()) { // the root's, adopted namespaces', unnamed hosts'
            h.close(OWNER);
        }
        handles.clear();
        spread(deletes); // while every namespace handle is still open: the comparison holds the namespace
        errors.addAll(nameErrors);
        try {
            // first runs the namespaces' before-close actions: netvirt-faults heals the faults still on them
            NetNamespace.closeAll(hosts.values(), OWNER); // one look for threads left inside, for all
        } catch (RuntimeException e) {
            errors.add(e);
        }
        hosts.clear();
        errors.addAll(EachOf.releaseAll(List.copyOf(reserved.values()), ReservedName::close));
        reserved.clear();
        for (String leftover : named.values()) {
            // named, but its handle never reached hosts: it cannot be proven ours
            LOG.log(
                    System.Logger.Level.WARNING,
                    "netns {0} left alone: no handle to prove it is this topology's",
                    leftover);
        }
        named.clear();
        CrashRecord r = record;
        if (r != null) {
            // last: nothing the record names is in this JVM's hands any more (handles, taps, relays
            // closed or failed), so a cleanup that takes it from now on removes only what close would have
            if (errors.isEmpty() || Cleaner.nothingLeft(r.path())) {
                try {
                    r.close();
                } catch (RuntimeException e) {
                    errors.add(e); // the file is left, its lock let go all the same: a cleanup's
                }
                record = null;
            } else {
                r.abandon();
                record = null;
                LOG.log(
                        System.Logger.Level.WARNING,
                        "teardown incomplete; crash record {0} kept for cleanup(): this JVM's removes what is"
                                + " left, another JVM's once this one has exited",
                        r.path());
            }
        }
        LOG.log(
                System.Logger.Level.DEBUG,
                () -> "teardown done in " + (System.nanoTime() - start) / 1_000 + " µs, " + errors.size()
                        + " failure(s)");
        return errors;
    }

    /**
     * Deletes the topology's devices in namespace {@code ns} (the root or an adopted one) through
     * {@code h}: those of device group {@code group}. Once every device's ifindex is known
     * ({@link #everyIndexKnown}), a device of the group at an index the topology did not make is someone
     * else's (ip link set DEV group N, after the apply): then only the topology's go, by index, and the
     * others are left alone and logged; so is a device of the topology's whose group someone changed.
     */
    private void deleteOwn(NetlinkHandle h, String ns, int group) {
        if (!everyIndexKnown) {
            TaggedDevices.deleteTagged(h, group);
            return;
        }
        Map<Integer, String> ours = new LinkedHashMap<>();
        deviceIndexes.forEach((k, i) -> {
            if (k.ns().equals(ns)) {
                ours.put(i, k.dev());
            }
        });
        List<Link> theirs = new ArrayList<>();
        List<Link> own = new ArrayList<>();
        for (Link l : h.linkList()) {
            if (l.group() == group) {
                (ours.containsKey(l.index()) ? own : theirs).add(l);
            } else if (ours.containsKey(l.index())) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "{0} (ifindex {1}, now named {2}) left in place: someone changed its device group from {3} to {4}",
                        TopologySpec.label(ns) + "/" + ours.get(l.index()),
                        l.index(),
                        l.name(),
                        Integer.toUnsignedString(group),
                        Integer.toUnsignedString(l.group()));
            }
        }
        if (theirs.isEmpty()) {
            // one request: none can take over a listed device's ifindex in between
            TaggedDevices.deleteTagged(h, group);
            return;
        }
        for (Link l : theirs) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "{0} in {1} (ifindex {2}) left alone: it carries the topology''s device group {3}, but the"
                            + " topology did not make it",
                    l.name(),
                    TopologySpec.label(ns),
                    l.index(),
                    Integer.toUnsignedString(group));
        }
        for (Link l : own) {
            try {
                h.linkDel(l.index());
            } catch (NetlinkException e) {
                if (!e.isNoDevice()) { // a veth end gone with its peer
                    throw e;
                }
            }
        }
    }

    /**
     * Tears down {@code released}, which holds namespaces of this topology that a change removed or
     * undid, as {@link #teardown()}; then notes in the crash record each named one whose name no
     * longer holds it, and each name taken for a namespace never made that was given back, so that
     * the record lists what the topology has. Returns the failures, a note
     * the record could not take among them (it then still lists that namespace).
     */
    List<RuntimeException> teardownReleased(Resources released) {
        Map<String, Long> cookies = new LinkedHashMap<>();
        released.named.forEach((ns, name) -> {
            NetNamespace host = released.hosts.get(ns);
            if (host != null) {
                cookies.put(name, host.cookie());
            }
        });
        List<ReservedName> givenBack = List.copyOf(released.reserved.values());
        List<RuntimeException> errors = released.teardown();
        CrashRecord r = record;
        if (r != null) {
            for (ReservedName n : givenBack) {
                try {
                    noteGivenBack(n, 0); // taken for a namespace never made: recorded by its file alone
                } catch (RuntimeException e) {
                    errors.add(e); // still listed: cleanup finds the file gone
                }
            }
            cookies.forEach((name, cookie) -> {
                if (NetNamespace.nameState(name, cookie) != NameState.SAME) {
                    try {
                        r.nsRemoved(name, cookie);
                    } catch (RuntimeException e) {
                        errors.add(e); // still listed: cleanup finds the name no longer holds it
                    }
                }
            });
        }
        return errors;
    }

    /**
     * Notes in the crash record that the name {@code n} took no longer holds the namespace of
     * {@code cookie} (0: none was made), once the name was given back: unless its file is still
     * there (a removal that failed), which the record keeps listing for cleanup.
     */
    void noteGivenBack(ReservedName n, long cookie) {
        if (!NetNamespace.isLeftover(NetNamespace.nameFile(n.name()), n.file())) {
            record.nsRemoved(n.name(), cookie);
        }
    }

    /**
     * Closes (and so deletes) the taps {@code which} accepts; first of all, as an open tap keeps its
     * namespace alive. Returns once the kernel has deleted them ({@link TapDevice#close()} waits for
     * that). Returns the failures.
     */
    List<RuntimeException> closeTaps(Predicate<DeviceKey> which) {
        List<TapDevice> closing = new ArrayList<>();
        synchronized (taps) {
            taps.entrySet().removeIf(e -> which.test(e.getKey()) && closing.add(e.getValue()));
        }
        return EachOf.releaseAll(closing, t -> t.close(OWNER));
    }

    /**
     * Drops the conditions with an end in {@code ns} whose device is gone (as {@code h}, a handle in
     * {@code ns}, finds)
     * ({@link ConditionedLink#dropIfEndGone}): their relays stop. Returns the failures.
     */
    List<RuntimeException> dropConditionsOfGoneDevices(NetNamespace ns, NetlinkHandle h) {
        return EachOf.releaseAll(conditions.stream().filter(c -> c.hasEndIn(ns)).toList(), c -> c.dropIfEndGone(ns, h));
    }

    /**
     * Name deletions per deleting thread: below twice this many, the caller deletes them all (for a
     * few, handing them to other threads cost more than it saved: seed-down 2.5-2.8x the floor against
     * 2.0-2.5x).
     */
    static final int DELETES_PER_THREAD = 16;

    /** At most this many threads delete names at once, the caller's included. */
    static final int MAX_DELETERS = 64;

    /** How many threads delete {@code count} names: one per {@link #DELETES_PER_THREAD}, at most {@link #MAX_DELETERS}. */
    static int deleters(int count) {
        return Math.max(1, Math.min(MAX_DELETERS, count / DELETES_PER_THREAD));
    }

    /**
     * Runs the name deletions {@code deletes}, on {@link #deleters} threads. Each removal of a name
     * under {@code /run/netns} is an unmount, and the kernel ends every unmount by waiting for an RCU
     * grace period (namespace_unlock -> synchronize_rcu_expedited), asleep: one name after another,
     * 1000 names wait for 1000 grace periods, while unmounts made at the same time share them: the
     * more threads wait, the more they share (KERNEL-NOTES.md).
     */
    static void spread(List<Runnable> deletes) {
        int threads = deleters(deletes.size());
        if (threads == 1) {
            deletes.forEach(Runnable::run);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> helpers = new ArrayList<>();
        for (int i = 1; i < threads; i++) { // and this thread
            try {
                helpers.add(ApplyThreads.submit(() -> runFrom(deletes, next)));
            } catch (OutOfMemoryError | RejectedExecutionException e) {
                break; // no thread to be had: this one deletes whatever the others do not
            }
        }
        Throwable failure = null;
        try {
            runFrom(deletes, next);
        } catch (Throwable e) { // the helpers are awaited first
            failure = e;
        }
        for (Future<?> h : helpers) { // close() returns only when every name is gone
            failure = ApplyThreads.joined(failure, h);
        }
        ApplyThreads.rethrow(failure); // as if it had failed on this thread
    }

    private static void runFrom(List<Runnable> deletes, AtomicInteger next) {
        for (int i = next.getAndIncrement(); i < deletes.size(); i = next.getAndIncrement()) {
            deletes.get(i).run();
        }
    }

    /**
     * Removes the name {@code name} if it still holds {@code ns} (compared while {@code ns} is held
     * open); a name someone else has taken since is left alone and logged.
     */
    private static void deleteIfStillOurs(String name, NetNamespace ns, List<RuntimeException> errors) {
        NameState held;
        try {
            held = ns.deleteName(name);
        } catch (RuntimeException ex) {
            errors.add(ex);
            return;
        }
        switch (held) {
            case SAME -> {
                // removed
            }
            case OTHER, NOT_A_NAMESPACE ->
                LOG.log(
                        System.Logger.Level.WARNING,
                        "netns {0} left alone: the name now holds a namespace this topology did not make",
                        name);
            case ABSENT -> {
                // removed by someone else (ip netns del): nothing to do
            }
        }
    }
}
