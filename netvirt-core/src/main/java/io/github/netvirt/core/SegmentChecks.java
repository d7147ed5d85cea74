package io.github.netvirt.core;

import static io.github.netvirt.core.DraftMtus.portOf;
import static io.github.netvirt.core.Validator.notAnInterfaceAddress;
import static io.github.netvirt.core.Validator.where;

import io.github.netvirt.core.spec.Kind;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.netlink.MacAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks of a validation across the devices of one layer-2 segment (those veth pairs, bridges
 * and their ports, and macvlans and their lower devices join): one MAC address, and one IP address,
 * a device.
 */
final class SegmentChecks {
    private final Validation v;
    private final List<String> problems;
    /** The live topology's description a change began from, or null. */
    private final TopologySpec base;
    /** What the validation reads of the live topology in the kernel, or null. */
    private final Validator.Kernel kernel;
    /** Each device's link towards the one that stands for its layer-2 segment ({@link #segment}), or null. */
    private Map<Drafts.Dev, Drafts.Dev> segments;

    SegmentChecks(Validation v) {
        this.v = v;
        this.problems = v.problems();
        this.base = v.base();
        this.kernel = v.kernel();
    }

    /**
     * One MAC address on two devices of one layer-2 segment ({@link #segment}). Both ends of a veth
     * would get one IPv6 link-local address; a macvlan with its lower device's MAC, or with another
     * macvlan's on the same lower device, does not come up (EADDRINUSE). A bridge may have a port's
     * MAC: the kernel gives it one by default. A change that declares a MAC on a device it adds is
     * checked against the MACs the kernel gave the live devices of that device's segment too, and
     * names the device it adds.
     */
    void checkMacsPerSegment(List<Drafts.Ns> ordered) {
        List<Drafts.Dev> withMac = null;
        boolean added = false;
        for (Drafts.Ns n : ordered) {
            for (Drafts.Dev d : n.devices.values()) {
                if (d.kind != null && !d.macs.isEmpty()) {
                    if (withMac == null) {
                        withMac = new ArrayList<>();
                    }
                    withMac.add(d);
                    added |= base != null && !v.isLive(d);
                }
            }
        }
        Map<Drafts.Dev, MacAddress> listed = added && kernel != null ? kernelMacs(ordered, withMac) : Map.of();
        if (withMac == null || withMac.size() + listed.size() < 2) { // nothing to compare: no segments made
            return;
        }
        if (!listed.isEmpty()) {
            withMac = new ArrayList<>(); // in the description's order
            for (Drafts.Ns n : ordered) {
                for (Drafts.Dev d : n.devices.values()) {
                    if (d.kind != null && (!d.macs.isEmpty() || listed.containsKey(d))) {
                        withMac.add(d);
                    }
                }
            }
        }
        Map<List<Object>, List<Drafts.Dev>> owners = new HashMap<>();
        for (Drafts.Dev d : withMac) {
            Set<MacAddress> macs = d.macs.isEmpty() ? Set.of(listed.get(d)) : new LinkedHashSet<>(d.macs);
            if (macs.size() > 1) {
                continue; // conflicting MACs, reported on the device
            }
            MacAddress mac = macs.iterator().next();
            List<Drafts.Dev> same = owners.computeIfAbsent(List.of(segment(ordered, d), mac), k -> new ArrayList<>());
            for (Drafts.Dev other : same) {
                if (v.isLive(d) && v.isLive(other)) {
                    continue; // the live topology's own, not the change's
                }
                if (!portOf(d, other) && !portOf(other, d)) {
                    // in a change, the device it adds is the one named
                    boolean swap = v.isLive(d) && !v.isLive(other);
                    Drafts.Dev named = swap ? other : d;
                    Drafts.Dev there = swap ? d : other;
                    problems.add("device " + where(named) + ": MAC " + mac
                            + " is also " + where(there) + "'s"
                            + (listed.containsKey(there) ? " (as the kernel lists it)" : "") + ", "
                            + relation(named, there) + ": one layer-2 segment needs a MAC address per device");
                    break;
                }
            }
            same.add(d);
        }
    }

    /**
     * The MACs the kernel lists for the live devices declared without one on the segments where a
     * change declares a MAC on a device it adds ({@code withMac}: the devices declaring one).
     */
    private Map<Drafts.Dev, MacAddress> kernelMacs(List<Drafts.Ns> ordered, List<Drafts.Dev> withMac) {
        Set<Drafts.Dev> segmentsOfAdded = new HashSet<>();
        for (Drafts.Dev d : withMac) {
            if (!v.isLive(d)) {
                segmentsOfAdded.add(segment(ordered, d));
            }
        }
        Map<Drafts.Dev, MacAddress> listed = new HashMap<>();
        for (Drafts.Ns n : ordered) {
            for (Drafts.Dev d : n.devices.values()) {
                if (d.kind != null
                        && d.macs.isEmpty()
                        && v.isLive(d)
                        && segmentsOfAdded.contains(segment(ordered, d))) {
                    MacAddress mac = kernel.mac(n.name, d.name);
                    if (mac != null) {
                        listed.put(d, mac);
                    }
                }
            }
        }
        return listed;
    }

    /**
     * One IP address on two devices of one layer-2 segment ({@link #segment}), in one namespace or
     * two (one device with it twice is reported on the device). In the namespaces netvirt makes, IPv6
     * addresses are added without duplicate address detection ({@code IFA_F_NODAD}), so the kernel
     * would not refuse the second: both would stay usable and traffic go to either, as it would for
     * an IPv4 address (ARP answers from both). The same address on two segments is fine, in one
     * namespace too: the kernel takes it on each device (a router's fe80::1 on each link, an
     * unnumbered /32), with a prefix route through each.
     */
    void checkAddressesPerSegment(List<Drafts.Ns> ordered) {
        Map<InetAddress, Drafts.Dev> first = null;
        Set<InetAddress> twice = null;
        for (Drafts.Ns n : ordered) {
            for (Drafts.Dev d : n.devices.values()) {
                if (d.kind == null || d.addresses.isEmpty()) {
                    continue;
                }
                if (first == null) {
                    first = new HashMap<>();
                }
                for (IpPrefix a : d.addresses) {
                    Drafts.Dev had = first.putIfAbsent(a.address(), d);
                    if (had != null && had != d) {
                        if (twice == null) {
                            twice = new HashSet<>();
                        }
                        twice.add(a.address());
                    }
                }
            }
        }
        if (twice == null) { // no address on two devices: no segments made
            return;
        }
        Map<List<Object>, List<Drafts.Dev>> owners = new HashMap<>();
        for (Drafts.Ns n : ordered) {
            for (Drafts.Dev d : n.devices.values()) {
                if (d.kind == null) {
                    continue;
                }
                for (IpPrefix a : d.addresses) {
                    InetAddress address = a.address();
                    if (!twice.contains(address) || notAnInterfaceAddress(a) != null) {
                        continue; // an address that is none is reported on the device
                    }
                    List<Drafts.Dev> same =
                            owners.computeIfAbsent(List.of(segment(ordered, d), address), k -> new ArrayList<>());
                    if (same.contains(d)) {
                        continue; // added twice, reported on the device
                    }
                    if (!same.isEmpty()) {
                        Drafts.Dev other = same.get(0);
                        // in a change, the device it adds the address to is the one named
                        boolean swap =
                                v.liveAddress(d.ns, d.name, address) && !v.liveAddress(other.ns, other.name, address);
                        Drafts.Dev named = swap ? other : d;
                        Drafts.Dev there = swap ? d : other;
                        problems.add("device " + where(named)
                                + ": address " + IpPrefix.format(address) + " is also on "
                                + where(there) + ", "
                                + relation(named, there) + ": one layer-2 segment needs an address per device"
                                + " (traffic to it would go to either)");
                    }
                    same.add(d);
                }
            }
        }
    }

    /** How {@code other}, on {@code d}'s layer-2 segment, is joined to it, for a message. */
    private String relation(Drafts.Dev d, Drafts.Dev other) {
        return d.kind == Kind.VETH && v.peer(d) == other
                ? "its veth peer"
                : "on the same layer-2 segment (joined by veth pairs, bridges and macvlans)";
    }

    /**
     * The layer-2 segment of {@code d}, as the one device that stands for it: the devices that veth
     * pairs, bridges and their ports, and macvlans and their lower devices join are one segment.
     * Grouped once per validation, when a check first asks.
     */
    private Drafts.Dev segment(List<Drafts.Ns> ordered, Drafts.Dev d) {
        if (segments == null) {
            segments = new HashMap<>();
            for (Drafts.Ns n : ordered) {
                for (Drafts.Dev x : n.devices.values()) {
                    if (x.kind == null) {
                        continue;
                    }
                    if (x.kind == Kind.VETH) {
                        join(segments, x, v.peer(x));
                    }
                    if (!x.masters.isEmpty()) {
                        join(segments, x, n.devices.get(x.masters.get(0)));
                    }
                    if (x.kind == Kind.MACVLAN && x.lower != null) {
                        join(segments, x, n.devices.get(x.lower));
                    }
                }
            }
        }
        return root(segments, d);
    }

    private static void join(Map<Drafts.Dev, Drafts.Dev> parent, Drafts.Dev a, Drafts.Dev b) {
        if (b != null && b.kind != null) {
            parent.put(root(parent, a), root(parent, b));
        }
    }

    private static Drafts.Dev root(Map<Drafts.Dev, Drafts.Dev> parent, Drafts.Dev d) {
        Drafts.Dev r = d;
        for (Drafts.Dev up = parent.get(r); up != null && up != r; up = parent.get(r)) {
            r = up;
        }
        return r;
    }
}
