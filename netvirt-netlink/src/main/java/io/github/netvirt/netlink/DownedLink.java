package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.NetnsException;
import io.github.netvirt.netns.internal.EachOf;
import io.github.netvirt.netns.sys.Errno;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A device set down ({@code ip link set dev DEV down}) with what the kernel took from it noted, so
 * that {@link #setUp} gives it back.
 *
 * <p>Setting a device down makes the kernel delete the routes through it (IPv4 and IPv6) and its
 * IPv6 addresses ({@code keep_addr_on_down} is 0 by default), link-local ones someone added
 * ({@code fe80::1}, a router's) included, and setting it up brings back only what the kernel makes
 * itself (prefix routes, its own link-local address, which it marks {@code proto kernel_ll} since
 * Linux 6.1; before, nothing tells it from an added one, and it is given back too when the up has not
 * made it again).
 *
 * <p>An IPv6 address is given back with its flags that a request sets ({@code nodad}, {@code
 * noprefixroute}, {@code mngtmpaddr}), the metric of its prefix route, and its lifetimes less the time
 * the device was down (one that ran out meanwhile is not given back: the kernel would have deleted it).
 *
 * <p>A route is given back with what {@link Route} carries of it: type ({@code broadcast}, {@code
 * multicast} ... too), destination, gateway, table, metric, scope, protocol, {@code onlink},
 * preferred source, {@code realm}, an IPv4 route's TOS, its metrics ({@code mtu}, {@code advmss}, {@code hoplimit}, ...
 * and their locks, {@link RouteMetrics}), its IPv6 {@code pref}, and an IPv6 route's {@code expires}
 * less the time the device was down (a route whose lifetime ran out meanwhile is not given back),
 * and a route with several next hops ({@code nexthop ... nexthop ...}) when all of them are through
 * the device (the kernel deletes it then; otherwise it keeps it, the next hop dead until the up). A
 * route is "still there", and not added again, when a route of the same destination, gateway (or
 * number of next hops), table, metric and TOS is on the device, whatever its other attributes. A
 * gateway of another family ({@code via inet6}) is carried. Not carried: a next hop's own realm,
 * nexthop objects ({@code nhid}).
 *
 * <p>Downs of one device nest, in this JVM, whoever makes them: the first notes what the device has;
 * each later one, while another still holds the device down, shares that note (and adds to it what
 * the device has then, if someone set it up meanwhile: the down deletes that too). The device stays down
 * until the last of them ends ({@link #setUp} or {@link #release}), and the last {@link #setUp} gives
 * back what the first took. Thread-safe: the downs and ups of one device run one at a time. A device
 * is known by its namespace's cookie and its ifindex.
 */
public final class DownedLink {
    /** The notes of the devices held down now. */
    private static final ConcurrentMap<Device, Note> HELD = new ConcurrentHashMap<>();

    /** Beyond a device's own DAD time, how long an up waits for the addresses it gave back (as an apply does). */
    static final Duration DAD_MARGIN = Duration.ofSeconds(5);
    /**
     * Downs in a namespace (read) against {@link #withoutDowns} (write), by the namespace's identity
     * in stripes: a down notes what the device has, then sets it down, and what is added between the
     * two is deleted by the kernel and never given back.
     */
    private static final ReentrantReadWriteLock[] GUARDS = new ReentrantReadWriteLock[64];

    static {
        for (int i = 0; i < GUARDS.length; i++) {
            GUARDS[i] = new ReentrantReadWriteLock();
        }
    }

    /** A gateway must be reachable when its route is added: the routes without one first. */
    private static final Comparator<Route> DIRECT_FIRST =
            Comparator.comparing(r -> r.gateway() != null || !r.nexthops().isEmpty());

    /** A device: its namespace's identity ({@link #identity}) and ifindex. */
    private record Device(long namespace, int index) {}

    /** What the first down of a device took, and how many downs hold it down now. */
    private static final class Note {
        final boolean wasUp;
        /** Changed, as {@link #addresses}, only in {@code HELD.compute} of its device. */
        volatile List<Route> routes;
        /** When the routes were read ({@link System#nanoTime}), for what is left of their lifetimes. */
        final long routesRead;
        /** Changed, as {@link #holds}, only in {@code HELD.compute} of its device. */
        volatile List<Address> addresses;

        volatile int holds = 1;

        Note(boolean wasUp, List<Address> addresses, List<Route> routes, long routesRead) {
            this.wasUp = wasUp;
            this.addresses = addresses;
            this.routes = routes;
            this.routesRead = routesRead;
        }
    }

    private final Device device;
    private final Note note;
    /** The device as the down found it: how a failure names it. */
    private final Link link;
    /** Whether this down has ended; changed only in {@code HELD.compute} of its device. */
    private volatile boolean ended;

    private DownedLink(Device device, Note note, Link link) {
        this.device = device;
        this.note = note;
        this.link = link;
    }

    /**
     * Notes the routes through {@code link} of {@code h}'s namespace (but the kernel's own and the
     * local table's) and its IPv6 addresses (but the kernel's own link-local one), then sets it down. While another down holds the
     * device down already, this one shares its note, taken before the first (and sets the device
     * down again, in case another set it up meanwhile, noting first what it has then that the note lacks).
     *
     * @throws NetlinkException if the kernel refuses: ENODEV when the device is gone (deleted since
     *         {@code link} was read), naming it, its ifindex and {@code h}'s namespace
     */
    public static DownedLink setDown(NetlinkHandle h, Link link) {
        Device device = new Device(identity(h.namespace()), link.index());
        Note note;
        Lock guard = GUARDS[stripe(device.namespace())].readLock();
        guard.lock();
        try {
            note = HELD.compute(device, (k, held) -> {
                if (held != null) {
                    downAgain(h, k.index(), held);
                    held.holds++;
                    return held;
                }
                Note first = note(h, k.index());
                h.linkSetDown(k.index());
                return first;
            });
        } catch (NetlinkException e) {
            throw gone(e, h, link);
        } finally {
            guard.unlock();
        }
        return new DownedLink(device, note, link);
    }

    /**
     * Sets the device down again for this down, which holds it down already: someone may have set it
     * up meanwhile. Notes, as a down that nests does, what the device has then that the note lacks.
     *
     * @throws NetlinkException if the kernel refuses: ENODEV when the device is gone, naming it
     */
    public void setDownAgain(NetlinkHandle h) {
        Lock guard = GUARDS[stripe(device.namespace())].readLock();
        guard.lock();
        try {
            HELD.compute(device, (k, held) -> {
                if (held != null) {
                    downAgain(h, k.index(), held);
                } else {
                    h.linkSetDown(k.index());
                }
                return held;
            });
        } catch (NetlinkException e) {
            throw gone(e, h, link);
        } finally {
            guard.unlock();
        }
    }

    /**
     * Sets device {@code index} down under {@code held}, the note of the downs holding it. Where
     * someone set it up meanwhile ({@link NetlinkHandle#linkUp}, an up that is not a down's end), the
     * kernel deletes the routes and IPv6 addresses it has now, some perhaps added since the note was
     * taken: those the note lacks are added to it first, for the last up to give back too.
     */
    private static void downAgain(NetlinkHandle h, int index, Note held) {
        if (h.linkGet(index).map(Link::isUp).orElse(false)) {
            Note now = note(h, index);
            List<Address> addresses = new ArrayList<>(held.addresses);
            for (Address a : now.addresses) {
                if (addresses.stream().noneMatch(x -> x.prefix().equals(a.prefix()))) {
                    addresses.add(a);
                }
            }
            List<Route> routes = new ArrayList<>(held.routes);
            for (Route r : now.routes) {
                if (routes.stream().noneMatch(x -> sameRoute(x, r, index))) {
                    routes.add(r);
                }
            }
            routes.sort(DIRECT_FIRST);
            held.addresses = List.copyOf(addresses);
            held.routes = List.copyOf(routes);
        }
        h.linkSetDown(index);
    }

    /**
     * Sets device {@code index} of {@code h}'s namespace up ({@link NetlinkHandle#linkUp}) unless a down
     * of this JVM holds it, which then brings it up when the last down ends, giving back what the first
     * took: set up before, the device would carry traffic without those, and the down would no longer
     * hold. Returns whether it set the device up.
     *
     * @throws NetlinkException if the kernel refuses: ENODEV when the device is gone
     */
    public static boolean upUnlessHeld(NetlinkHandle h, int index) {
        boolean[] set = {false};
        HELD.compute(new Device(identity(h.namespace()), index), (k, held) -> {
            if (held == null) {
                h.linkUp(index);
                set[0] = true;
            }
            return held;
        });
        return set[0];
    }

    /**
     * Runs {@code call} while no down of this JVM ({@link #setDown}) begins on a device of
     * {@code namespaces}: those under way finish first, and those that come meanwhile wait until it
     * returns. For a change that adds addresses and routes to devices that are there, after it has
     * looked whether a down holds them ({@link #isHeld}): a down notes what its device has, then sets
     * it down, which deletes the device's routes and IPv6 addresses, so what is added between the two
     * would be neither on the device nor given back by the up. A namespace already closed is passed over.
     */
    public static <T> T withoutDowns(Collection<NetNamespace> namespaces, Supplier<T> call) {
        TreeSet<Integer> stripes = new TreeSet<>(); // taken in one order: two callers sharing namespaces
        for (NetNamespace ns : namespaces) {
            try {
                stripes.add(stripe(identity(ns)));
            } catch (IllegalStateException closed) {
                // no device of it to add to
            }
        }
        List<Lock> taken = new ArrayList<>();
        try {
            for (int s : stripes) {
                Lock l = GUARDS[s].writeLock();
                l.lock();
                taken.add(l);
            }
            return call.get();
        } finally {
            taken.forEach(Lock::unlock);
        }
    }

    private static int stripe(long identity) {
        return (Long.hashCode(identity) & 0x7fffffff) % GUARDS.length;
    }

    /**
     * {@code e} as a request about {@code link} of {@code h}'s namespace fails when the device is gone
     * (deleted since {@code link} was read): ENODEV naming it, its ifindex and the namespace, and saying
     * it is gone; {@code e} itself for another error, or one that says so already.
     */
    public static NetlinkException gone(NetlinkException e, NetlinkHandle h, Link link) {
        String gone = ": link \"" + link.name() + "\" (ifindex " + link.index() + ") in " + h.where() + " is gone";
        return !e.isNoDevice() || e.request().endsWith(gone) ? e : e.withRequest(e.request() + gone);
    }

    /**
     * Whether the kernel made IPv6 address {@code a} itself, and makes it again: its link-local one (on
     * the up), one from a router advertisement and a privacy one made from that (on the next
     * advertisement). Before Linux 6.1, whose addresses carry no {@code IFA_PROTO} ({@code marks}
     * false: none in the namespace has one, not even {@code lo}'s {@code ::1}), those from
     * advertisements are told by their lifetime alone, and one someone added with a lifetime is
     * taken for them; and the kernel's link-local one is noted, given back only when the up has not
     * made it again.
     */
    private static boolean kernels(Address a, boolean marks) {
        return a.protocol() == Nl.IFAPROT_KERNEL_LL
                || a.protocol() == Nl.IFAPROT_KERNEL_RA
                || (a.flags() & Nl.IFA_F_TEMPORARY) != 0
                || !marks && (a.flags() & Nl.IFA_F_PERMANENT) == 0;
    }

    private static Note note(NetlinkHandle h, int index) {
        // read now, not from the caller's link: a down that ended meanwhile may have set it up
        boolean wasUp = h.linkGet(index).map(Link::isUp).orElse(false);
        List<Address> addresses = new ArrayList<>();
        List<Address> all = h.addrList();
        boolean marks = all.stream().anyMatch(a -> a.protocol() != 0);
        for (Address a : all) {
            // an added fe80::1 goes with the down too, and one with a lifetime; the up makes only the kernel's own
            // again
            if (a.index() == index && !a.isIpv4() && !kernels(a, marks)) {
                addresses.add(a);
            }
        }
        List<Route> routes = new ArrayList<>();
        long routesRead = System.nanoTime();
        for (Route r : h.routeList()) {
            if (through(r, index) && r.protocol() != Nl.RTPROT_KERNEL && r.table() != Nl.RT_TABLE_LOCAL) {
                routes.add(r);
            }
        }
        routes.sort(DIRECT_FIRST);
        return new Note(wasUp, List.copyOf(addresses), List.copyOf(routes), routesRead);
    }

    /**
     * The namespace's cookie; before Linux 5.14, which has none, minus its nsfs inode (which names
     * another namespace once this one is gone).
     */
    private static long identity(NetNamespace ns) {
        try {
            return ns.cookie();
        } catch (NetnsException e) {
            return -ns.inode();
        }
    }

    /** Whether a down of this JVM ({@link #setDown}) holds device {@code index} of {@code ns} down now. */
    public static boolean isHeld(NetNamespace ns, int index) {
        return HELD.containsKey(new Device(identity(ns), index));
    }

    /**
     * The addresses that the downs holding devices of {@code ns} down took from them: what the last
     * {@link #setUp} of each gives back.
     */
    public static List<Address> takenAddresses(NetNamespace ns) {
        long id = identity(ns);
        List<Address> out = new ArrayList<>();
        HELD.forEach((k, note) -> {
            if (k.namespace() == id) {
                out.addAll(note.addresses);
            }
        });
        return out;
    }

    /**
     * Drops the addresses {@code gone} accepts from the note of device {@code index} of {@code ns}
     * when downs of this JVM hold it down, whoever made them ({@code Topology.down}, a {@code LinkCut}
     * of netvirt-faults): those removed since are not given back by the last {@link #setUp}. Nothing
     * when none holds it.
     */
    public static void withoutAddresses(NetNamespace ns, int index, Predicate<IpPrefix> gone) {
        HELD.computeIfPresent(new Device(identity(ns), index), (k, note) -> {
            note.addresses =
                    note.addresses.stream().filter(a -> !gone.test(a.prefix())).toList();
            return note;
        });
    }

    /**
     * Drops the routes {@code gone} accepts from the note of device {@code index} of {@code ns} when
     * downs of this JVM hold it down, whoever made them ({@code Topology.down}, a {@code LinkCut} of
     * netvirt-faults): those removed since are not given back by the last {@link #setUp}. Nothing
     * when none holds it.
     */
    public static void withoutRoutes(NetNamespace ns, int index, Predicate<Route> gone) {
        HELD.computeIfPresent(new Device(identity(ns), index), (k, note) -> {
            note.routes = note.routes.stream().filter(r -> !gone.test(r)).toList();
            return note;
        });
    }

    /** The device's ifindex. */
    public int index() {
        return device.index();
    }

    /** Whether the device was up before the first of the downs holding it (this one or an earlier one). */
    public boolean wasUp() {
        return note.wasUp;
    }

    /**
     * Ends this down; when it was the last holding the device down, sets the device up and has the
     * kernel finish that ({@link NetlinkHandle#linkUp}), then adds back the IPv6 addresses, then the
     * routes, that the first down took and are still missing (tries each and throws the first
     * failure), and, when it gave back IPv6 addresses, returns once the device's are usable: where DAD
     * runs (the root namespace, an adopted one) it waits it out, 1-2 s, as an apply does. So for the
     * devices whose carrier the up turns on, which starts the DAD of the addresses they got while they
     * had none ({@link #awaitCarriedDad}): the other end of a veth, wherever it is, the bridge either end
     * is a port of, the devices stacked on either (macvlan) and theirs. While other downs hold the device, it stays down and this
     * does nothing more. Called again, it gives back again unless a down holds the device by then.
     * When the kernel refuses the up itself, the device is still down by the downs' doing: what the
     * first took stays noted ({@link #isHeld} true), a later down shares it (the device was up before
     * the first), and a setUp called again, or the last of the later downs', gives it back.
     *
     * @throws NetlinkException if the kernel refuses (this down has ended all the same): ENODEV naming
     *         the device and saying it is gone when it was deleted since
     */
    public void setUp(NetlinkHandle h) {
        List<RuntimeException> errors = new ArrayList<>();
        boolean[] up = {false};
        Map<Integer, List<Integer>> dark = new LinkedHashMap<>();
        // not in compute: 1-2 s
        if (end(h, errors, up, dark)) {
            try {
                awaitDad(h, device.index());
            } catch (RuntimeException e) {
                errors.add(e);
            }
        }
        if (up[0]) {
            dark.forEach((netnsId, indexes) -> {
                try {
                    awaitCarriedDad(h, netnsId, indexes);
                } catch (RuntimeException e) {
                    errors.add(e);
                }
            });
        }
        EachOf.throwFirst(errors);
    }

    /**
     * {@link #setUp} but for its wait: returns whether it gave back IPv6 addresses, whose DAD the
     * caller waits out ({@link #awaitDad}), outside the locks it holds. When it throws, nothing is
     * waited for.
     *
     * @throws NetlinkException as {@link #setUp}
     */
    public boolean setUpWithoutDadWait(NetlinkHandle h) {
        List<RuntimeException> errors = new ArrayList<>();
        boolean gaveIpv6 = end(h, errors, new boolean[1], null);
        EachOf.throwFirst(errors);
        return gaveIpv6;
    }

    /**
     * Ends this down without setting the device up: the device stays as it is, down until the
     * others end if there are others. Idempotent. For a device that is gone, or is to stay down: the
     * last down to end by a release leaves it down even when the others ended by {@link #setUp}
     * (whose up waited for this one), so a down undone because what was to follow it failed ends by
     * {@link #setUp}, as its heal would.
     */
    public void release() {
        List<RuntimeException> errors = new ArrayList<>();
        end(null, errors, new boolean[1], null);
        EachOf.throwFirst(errors);
    }

    /**
     * Ends this down, setting the device up when {@code h} is not null; whether it gave back IPv6
     * addresses. {@code up[0]}: whether it set the device up; {@code dark}, unless null: the devices whose
     * carrier that up may have turned on, by the id of their namespace in {@code h}'s ({@link #dark}).
     */
    private boolean end(
            NetlinkHandle h, List<RuntimeException> errors, boolean[] up, Map<Integer, List<Integer>> dark) {
        boolean[] gaveIpv6 = {false};
        HELD.compute(device, (k, held) -> {
            if (held == note && !ended) {
                ended = true;
                held.holds--;
            }
            if (held != null && held.holds > 0) {
                return held; // other downs hold the device down
            }
            if (h == null) {
                return null;
            }
            // a note no down holds (an up that failed) is what the first down took: it is given back
            Note taken = held != null ? held : note;
            // the up refused: the device is down still by the downs' doing, so what they took stays
            // noted, for a later down to share (the device was up before the first) and a setUp to retry
            return restore(h, taken, errors, gaveIpv6, up, dark) ? null : taken;
        });
        return gaveIpv6[0];
    }

    /**
     * Waits until the IPv6 addresses of device {@code index} of {@code h}'s namespace, just set up, are
     * out of DAD: where it runs ({@code accept_dad} 1: the root, an adopted namespace) addresses given
     * back come back tentative, as when they were first added, and so does the kernel's own link-local
     * one, and a bind to one fails (EADDRNOTAVAIL) for 1-2 s; where it does not, the kernel's link-local
     * address is tentative until its DAD work has run, moments later. DAD waits for a carrier, so
     * without one nothing is waited for. Bounded by the device's own DAD settings plus
     * {@link #DAD_MARGIN}, as an apply's wait.
     *
     * @throws NetlinkException as {@link NetlinkHandle#awaitDad(java.util.Collection, Duration)}
     */
    public static void awaitDad(NetlinkHandle h, int index) {
        Link l = h.linkGet(index).orElse(null);
        if (l != null && l.isUp() && l.isLowerUp()) {
            h.awaitDad(
                    List.of(index), Sysctls.of(h.namespace()).dadTime(l.name()).plus(DAD_MARGIN));
        }
    }

    /**
     * The devices, up but without carrier, whose carrier the up of {@code device} may turn on, by the id
     * of their namespace in {@code h}'s (-1: {@code h}'s own): a veth's other end, the master of either
     * end (a bridge whose ports are all down), the devices stacked on either (a macvlan, an ipvlan, a
     * vlan: their {@code IFLA_LINK} is it) and in turn theirs, each in its namespace (a switch's bridge
     * the other end is the one port of). One link dump of each namespace; before Linux 4.20 none of
     * another one (reached through the id it has here, {@link Link#linkNetnsId()}, with no handle on it).
     */
    private static Map<Integer, List<Integer>> dark(NetlinkHandle h, Link device) {
        Map<Integer, List<Integer>> dark = new LinkedHashMap<>();
        List<Integer> from = new ArrayList<>(List.of(device.index()));
        int netnsId = device.linkNetnsId();
        if (device.peerIndex().isPresent() && netnsId < 0) {
            from.add(device.peerIndex().getAsInt());
        }
        dark.put(-1, dark(h.linkList(), from, 1));
        if (device.peerIndex().isPresent() && netnsId >= 0) {
            try {
                dark.put(
                        netnsId,
                        dark(h.linkList(netnsId), List.of(device.peerIndex().getAsInt()), 0));
            } catch (NetlinkException e) {
                if (!e.is(Errno.ENOPROTOOPT)) {
                    throw e;
                }
            }
        }
        return dark;
    }

    /**
     * Of {@code links} (one namespace's), those up without carrier among devices {@code from} (but their
     * first {@code skip}, whose up this is) and the devices those carry, in turn.
     */
    private static List<Integer> dark(List<Link> links, List<Integer> from, int skip) {
        Map<Integer, Link> all = new LinkedHashMap<>();
        links.forEach(l -> all.put(l.index(), l));
        List<Integer> carried = new ArrayList<>(from);
        for (int i = 0; i < carried.size(); i++) {
            Link c = all.get(carried.get(i));
            for (Link l : c == null ? List.<Link>of() : all.values()) {
                boolean stacked = l.linkIndex() == c.index()
                        && l.linkNetnsId() < 0
                        && l.peerIndex().isEmpty();
                if ((l.index() == c.masterIndex() || stacked) && !carried.contains(l.index())) {
                    carried.add(l.index());
                }
            }
        }
        List<Integer> dark = new ArrayList<>();
        for (int index : carried.subList(skip, carried.size())) {
            Link l = all.get(index);
            if (l != null && l.isUp() && !l.isLowerUp()) {
                dark.add(index);
            }
        }
        return dark;
    }

    /**
     * Waits out the DAD that an up began on devices {@code dark} of the namespace with id {@code netnsId}
     * in {@code h}'s (-1: {@code h}'s own; from {@link #dark}, read before it) by
     * turning their carrier on: the IPv6 addresses they got while they had none (an add, an up of
     * their own) are tentative until then, and a bind to one fails (EADDRNOTAVAIL) for 1-2 s where DAD
     * runs. Nothing when none of them has an IPv6 address of its own (the kernel's link-local one, which
     * the carrier may have just made, is not waited for then), nor for one the up left without carrier
     * (a bridge whose port STP holds). Each is read alone, in turn, which has the kernel run its pending
     * linkwatch work (Linux 6.8 and later), as {@link NetlinkHandle#linkUp} does for the device and its
     * master: a macvlan's carrier follows its lower device's only then. Bounded by their own DAD
     * settings plus {@link #DAD_MARGIN}.
     *
     * @throws NetlinkException as {@link NetlinkHandle#awaitDad(java.util.Collection, Duration)}
     */
    static void awaitCarriedDad(NetlinkHandle h, int netnsId, List<Integer> dark) {
        if (dark.isEmpty()) {
            return;
        }
        List<Address> addresses = h.addrList(netnsId);
        List<Integer> lit = new ArrayList<>();
        Duration dad = Duration.ZERO;
        boolean anyOwn = dark.stream().anyMatch(i -> ownIpv6(addresses, i));
        for (int i = 0; anyOwn && i < dark.size(); i++) {
            int index = dark.get(i);
            Link l = h.linkGet(index, netnsId).orElse(null); // alone: runs its linkwatch work, before the next one's
            if (l != null && l.isUp() && l.isLowerUp() && ownIpv6(addresses, index)) {
                lit.add(index);
                Duration d = h.dadTime(index, netnsId).orElse(Duration.ZERO);
                dad = d.compareTo(dad) > 0 ? d : dad;
            }
        }
        if (!lit.isEmpty()) {
            h.awaitDad(netnsId, lit, dad.plus(DAD_MARGIN));
        }
    }

    /** Whether device {@code index} has an IPv6 address of its own: one the kernel did not make on its up. */
    private static boolean ownIpv6(List<Address> addresses, int index) {
        return addresses.stream()
                .anyMatch(a -> a.index() == index && !a.isIpv4() && a.protocol() != Nl.IFAPROT_KERNEL_LL);
    }

    /**
     * Sets the device up and gives back what {@code note} took; false when the up itself was refused
     * (but for the device being gone: nothing is left to give back then).
     */
    private boolean restore(
            NetlinkHandle h,
            Note note,
            List<RuntimeException> errors,
            boolean[] gaveIpv6,
            boolean[] up,
            Map<Integer, List<Integer>> dark) {
        int index = device.index();
        Link there = h.linkGet(index).orElse(null);
        if (there != null && !Objects.equals(there.kind(), link.kind())) {
            // someone deleted the device and made one of theirs at its index (ip link add ... index N,
            // or moved one in): the device is gone, and theirs is left as it is
            errors.add(NetlinkException.refused(
                    "RTM_NEWLINK #" + index + ": link \"" + link.name() + "\" (ifindex " + index + ") in "
                            + h.where() + " is gone: the device of its index now is \"" + there.name() + "\", a "
                            + there.kind() + ", not a " + link.kind(),
                    Errno.ENODEV));
            return true;
        }
        if (there != null && dark != null) {
            try {
                dark.putAll(dark(h, there));
            } catch (RuntimeException e) {
                errors.add(e);
            }
        }
        try {
            h.linkUp(index);
            up[0] = true;
        } catch (NetlinkException e) {
            errors.add(gone(e, h, link));
            return e.isNoDevice();
        } catch (RuntimeException e) {
            errors.add(e);
            return false;
        }
        Duration down = Duration.ofNanos(System.nanoTime() - note.routesRead); // the addresses were read just before
        List<Address> now = h.addrList();
        for (Address a : note.addresses) {
            if (a.validLifetime() != Nl.IFA_FOREVER
                    && Duration.ofSeconds(a.validLifetime()).compareTo(down) <= 0) {
                continue; // ran out while down: the kernel would have deleted it
            }
            if (now.stream().noneMatch(x -> x.index() == index && x.prefix().equals(a.prefix()))) {
                AddressSpec spec = AddressSpec.of(index, a.prefix()).scope(a.scope());
                if (a.peer() != null) {
                    spec = spec.peer(a.peer());
                }
                spec = spec.as(a, down.toSeconds());
                try {
                    h.addrAdd(spec);
                    gaveIpv6[0] = true;
                } catch (RuntimeException e) {
                    errors.add(e);
                }
            }
        }
        List<Route> present = h.routeList();
        for (Route r : note.routes) {
            int expires = r.expires() == null ? 0 : secondsLeft(r.expires(), down);
            if (expires >= 0 && present.stream().noneMatch(x -> sameRoute(x, r))) {
                try {
                    h.routeAdd(expires > 0 ? spec(r).expires(expires) : spec(r));
                } catch (RuntimeException e) {
                    errors.add(e);
                }
            }
        }
        return true;
    }

    /**
     * What is left, in whole seconds rounded up, of a lifetime of {@code lifetime} when it was read
     * {@code since} ago; -1 when nothing is (the kernel would have deleted the route by now).
     */
    static int secondsLeft(Duration lifetime, Duration since) {
        Duration left = lifetime.minus(since);
        if (left.isNegative() || left.isZero()) {
            return -1;
        }
        long s = (left.toMillis() + 999) / 1000;
        return (int) Math.min(Math.max(s, 1), Integer.MAX_VALUE);
    }

    /**
     * Whether the kernel deletes {@code r} when device {@code index} goes down: it goes through the
     * device, or all its next hops do.
     */
    private static boolean through(Route r, int index) {
        return r.outputIndex() == index
                || (!r.nexthops().isEmpty() && r.nexthops().stream().allMatch(n -> n.outputIndex() == index));
    }

    private boolean sameRoute(Route x, Route r) {
        return sameRoute(x, r, device.index());
    }

    private static boolean sameRoute(Route x, Route r, int index) {
        return through(x, index)
                && x.nexthops().size() == r.nexthops().size()
                && x.destination().equals(r.destination())
                && Objects.equals(x.gateway(), r.gateway())
                && x.table() == r.table()
                && x.metric() == r.metric()
                && x.tos() == r.tos();
    }

    private RouteSpec spec(Route r) {
        RouteSpec s = RouteSpec.to(r.destination())
                .table(r.table())
                .metric(r.metric())
                .scope(r.scope())
                .protocol(r.protocol())
                .type(r.type())
                .realm(r.realm());
        if (r.nexthops().isEmpty()) {
            s = s.dev(device.index());
        } else {
            s = s.nexthops(r.nexthops().stream()
                    .map(n -> new Nexthop(n.gateway(), n.outputIndex(), n.weight(), n.flags() & Nl.RTNH_F_ONLINK))
                    .toList());
        }
        if (r.gateway() != null) {
            s = s.via(r.gateway());
        }
        if (r.isOnLink()) {
            s = s.onLink();
        }
        if (r.preferredSource() != null) {
            s = s.source(r.preferredSource());
        }
        if (!r.isIpv4()) {
            s = s.pref(r.pref());
        } else if (r.tos() != 0) {
            s = s.tos(r.tos());
        }
        return s.metrics(r.metrics());
    }
}
