package io.github.netvirt.faults;

import io.github.netvirt.netlink.Address;
import io.github.netvirt.netlink.DownedLink;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.EachOf;
import io.github.netvirt.netns.internal.Uninterrupted;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A network partition: hosts of one side stop hearing the other side, in both directions, until
 * {@link #heal()}; or, {@linkplain #between(Collection, Collection, Port) by port}, only on the flows
 * of one port. Each host drops (silently, on input, with an nftables table of its own in its
 * namespace, spoken over netlink) packets whose source is a global address of a host on the other
 * side; addresses are read from the kernel when the partition starts, with those that a down of a
 * device ({@link LinkCut}, {@code Topology.down()}) took from it and its end gives back (the kernel
 * deletes a device's IPv6 addresses when it goes down). Traffic within a side, and the links
 * themselves, are untouched. When the handle given for one host closes first (a topology's change
 * removes the namespace), only that host's table goes: the partition stays in force between the hosts
 * left, {@link #isActive()} true, until {@link #heal()} (or the close of their handles, the topology's
 * close) removes the rest; once every host's handle has closed, it is healed. Thread-safe.
 */
public final class Partition implements Fault {
    private final List<FilterTable> drops;
    private boolean active = true;

    private Partition(List<FilterTable> drops) {
        this.drops = drops;
    }

    /**
     * Splits {@code sideA} from {@code sideB}. A host is a namespace, told by its cookie whatever the
     * handles (a {@link NetNamespace#reopen()}, an open of its name): each may be given once, on one side.
     *
     * @throws NullPointerException when a side is null or holds a null, naming the side; nothing is installed
     * @throws IllegalArgumentException when a side is empty, a host is twice on one side or on both sides
     *     (naming it), or a side has no global address; nothing is installed
     * @throws io.github.netvirt.netlink.NetlinkException when the kernel refuses a rule (nothing is left installed)
     */
    public static Partition between(Collection<NetNamespace> sideA, Collection<NetNamespace> sideB) {
        NonNull.elements(sideA, "sideA");
        NonNull.elements(sideB, "sideB");
        return split(sideA, sideB, null);
    }

    /**
     * Splits {@code sideA} from {@code sideB} on the flows of {@code port} only (to or from it, whichever
     * side serves it); every other flow between them goes on.
     *
     * @throws NullPointerException when a side is null or holds a null, or {@code port} is null (for
     *     every flow, leave it out), naming it; nothing is installed
     * @throws IllegalArgumentException as {@link #between(Collection, Collection)}
     */
    public static Partition between(Collection<NetNamespace> sideA, Collection<NetNamespace> sideB, Port port) {
        NonNull.elements(sideA, "sideA");
        NonNull.elements(sideB, "sideB");
        Objects.requireNonNull(port, "port");
        return split(sideA, sideB, port);
    }

    /** {@code port} null: every flow. Every host is checked before the first address is read. */
    private static Partition split(Collection<NetNamespace> sideA, Collection<NetNamespace> sideB, Port port) {
        if (sideA.isEmpty() || sideB.isEmpty()) {
            throw new IllegalArgumentException("a partition needs hosts on both sides");
        }
        Set<Long> onA = cookies(sideA, "sideA");
        cookies(sideB, "sideB");
        for (NetNamespace b : sideB) {
            if (onA.contains(b.cookie())) {
                throw new IllegalArgumentException(b + " is on both sides of the partition");
            }
        }
        Set<InetAddress> aAddrs = addresses(sideA);
        Set<InetAddress> bAddrs = addresses(sideB);
        List<FilterTable> installed = new ArrayList<>();
        try {
            for (NetNamespace a : sideA) {
                installed.add(InputDrop.install(a, bAddrs, port, 1.0));
            }
            for (NetNamespace b : sideB) {
                installed.add(InputDrop.install(b, aAddrs, port, 1.0));
            }
        } catch (RuntimeException e) {
            EachOf.releaseAll(installed, FilterTable::remove).forEach(e::addSuppressed);
            throw e;
        }
        Partition partition = new Partition(installed);
        return Lease.dropOnClose(partition, installed, FilterTable::lease, partition::drop);
    }

    @Override
    public synchronized void heal() {
        if (!active) {
            return;
        }
        // a table removed stays removed; one that threw is tried again by the next heal
        Uninterrupted.run(() -> EachOf.release(drops, FilterTable::remove));
        active = false;
    }

    /**
     * The part of the partition in one namespace, whose given handle closed (a change removed the
     * namespace): its table goes, the others stay in force; once none is left, the partition is healed.
     */
    private synchronized void drop(FilterTable part) {
        if (!active) {
            return;
        }
        Uninterrupted.run(part::remove);
        if (drops.stream().allMatch(FilterTable::isRemoved)) {
            active = false;
        }
    }

    @Override
    public synchronized boolean isActive() {
        return active;
    }

    /** The cookies of {@code side}'s namespaces, each once: a namespace given twice is refused. */
    private static Set<Long> cookies(Collection<NetNamespace> side, String name) {
        Set<Long> seen = new HashSet<>();
        for (NetNamespace ns : side) {
            if (!seen.add(ns.cookie())) {
                throw new IllegalArgumentException(ns + " is twice on " + name + " of the partition");
            }
        }
        return seen;
    }

    /**
     * Every global address (IPv4 and IPv6) of the hosts, as the kernel reports them now, and those
     * their devices held down will have again ({@link DownedLink#takenAddresses}).
     */
    static Set<InetAddress> addresses(Collection<NetNamespace> hosts) {
        Set<InetAddress> out = new LinkedHashSet<>();
        for (NetNamespace ns : hosts) {
            List<Address> all;
            try (NetlinkHandle h = NetlinkHandle.open(ns)) {
                all = new ArrayList<>(h.addrList());
            }
            all.addAll(DownedLink.takenAddresses(ns));
            for (Address a : all) {
                if (a.scope() == 0) { // global
                    out.add(a.prefix().address());
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("the hosts " + hosts + " have no global address to filter on");
        }
        return out;
    }
}
