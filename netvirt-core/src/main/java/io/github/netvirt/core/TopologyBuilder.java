package io.github.netvirt.core;

import io.github.netvirt.core.spec.Adoption;
import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.Kind;
import io.github.netvirt.core.spec.LinkCondition;
import io.github.netvirt.core.spec.MacvlanSettings;
import io.github.netvirt.core.spec.NamespaceRoute;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.core.spec.VxlanSettings;
import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.netlink.MacAddress;
import io.github.netvirt.netlink.MacvlanMode;
import io.github.netvirt.netlink.RouteSpec;
import io.github.netvirt.netns.NamespacesAhead;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.Uninterrupted;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Describes a network as iproute2 would build it, one fluent call per idea. {@link #ns} enters a
 * namespace (declaring it the first time); devices are declared in the current namespace and
 * become the current device, which {@link #addr}, {@link #mtu}, {@link #mac}, {@link #down},
 * {@link #master} and {@link #ports} then configure. Every device is up unless {@link #down} is
 * called. Nothing touches the kernel before {@link #apply()}; mistakes are collected and reported
 * together, by {@link #spec()}, {@link #plan()} and {@link #apply()}, as an
 * {@link InvalidTopologyException}: a null argument too, the problem naming the call and what is null
 * (the calls themselves throw nothing).
 *
 * <pre>{@code
 * Topology seed = Topology.create()
 *         .ns("net0").veth("net0-bridge", "bridge", "bridge-net0").addr("10.0.1.1/24")
 *         .ns("net1").veth("net1-bridge", "bridge", "bridge-net1").addr("10.0.1.2/24")
 *         .ns("bridge").bridge("br").ports("bridge-net0", "bridge-net1")
 *         .apply();
 * }</pre>
 */
public final class TopologyBuilder {
    private static final IpPrefix IPV6_DEFAULT = IpPrefix.parse("::/0");
    private final Map<String, Drafts.Ns> namespaces = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private String prefix = "";
    private boolean ephemeral;
    private Drafts.Ns ns;
    private Drafts.Dev dev;
    /** The route {@link #metric} and {@link #table} set: the last one declared, until a namespace or device is entered. */
    private Drafts.Route route;

    private int order;
    /** The live topology this builder changes ({@link Topology#change()}), or null. */
    Topology live;
    /** The live topology's description this change began from: what it does not hold, the change removes. */
    TopologySpec base;
    /** The devices and namespaces of {@link #base} this change removed: it may not declare them again. */
    private final Set<DeviceKey> removedDevices = new LinkedHashSet<>();

    private final Set<String> removedNamespaces = new LinkedHashSet<>();

    TopologyBuilder() {}

    /** Whether {@code name} was entered with adopt(...) already (for a change's copy of the description). */
    boolean adoptedAlready(String name) {
        Drafts.Ns n = namespaces.get(name);
        return n != null && n.adoption != null;
    }

    /** Marks adopted namespace {@code name} as held by the live topology (for a change's copy of the description). */
    void adoptedLive(String name) {
        namespaces.get(name).adoptedLive = true;
    }

    // ------------------------------------------------------------ the topology as a whole

    /**
     * Prepends {@code prefix} to every namespace's name in the kernel ({@code ip netns} shows
     * {@code prefix + name}); the API keeps using the logical names, so copies run side by side.
     * It applies to namespace names only: device names (each namespace has its own), addresses and
     * devices in the root namespace ({@link #root()}) are used as given, and ephemeral namespaces
     * have no name for it to change ({@link #toScript()} still shows it). The prefixed name must be
     * a valid namespace name: one too long is reported with the prefix and the kernel name it makes.
     * {@link Topology#removeDetached(String)} finds a kept topology by it. The empty prefix is none;
     * a null one is a problem.
     */
    public TopologyBuilder prefix(String prefix) {
        if (given(prefix, "prefix", "prefix(null)")) {
            this.prefix = prefix;
        }
        return this;
    }

    /** Namespaces get names under {@code /run/netns}, like {@code ip netns add} (the default). */
    public TopologyBuilder named() {
        this.ephemeral = false;
        return this;
    }

    /** Namespaces have no name: the kernel removes them, and everything inside, when the JVM exits. */
    public TopologyBuilder ephemeral() {
        this.ephemeral = true;
        return this;
    }

    // ------------------------------------------------------------ namespaces

    /** Enters namespace {@code name}, declaring it the first time. */
    public TopologyBuilder ns(String name) {
        if (name == null) {
            problems.add("ns(null): a namespace needs a name");
            return this;
        }
        if (TopologySpec.ROOT.equals(name)) {
            return root();
        }
        ns = namespace(name);
        ns.declare(order++);
        dev = null;
        route = null;
        return this;
    }

    /**
     * Adopts {@code ip netns} namespace {@code netns}, made by someone else, as host {@code name} and
     * enters it: devices declared there are made in it and removed by {@link Topology#close()} (and
     * by crash cleanup), which never removes the namespace or anything that was there before. The
     * namespace must exist when the topology is validated and applied: a name with nothing there, or
     * with a file there that holds no network namespace, is a problem of the description.
     */
    public TopologyBuilder adopt(String name, String netns) {
        return adopt(name, netns == null ? null : Adoption.netns(netns), "adopt");
    }

    /**
     * Adopts the network namespace of process {@code pid} ({@code /proc/PID/ns/net}, how a container
     * is reached) as host {@code name} and enters it, as {@link #adopt(String, String)}. It is the
     * process that has the pid when this is called: once it has exited, the description is invalid,
     * and an apply that finds its pid another process's (in another namespace) builds nothing there.
     */
    public TopologyBuilder adoptPid(String name, long pid) {
        if (pid <= 0) {
            problems.add("adoptPid(" + quoted(name) + ", " + pid + "): not a process id");
            return this;
        }
        return adopt(name, Adoption.pid(pid), "adoptPid");
    }

    /**
     * Adopts the namespace of the open handle {@code namespace} as host {@code name} and enters it,
     * as {@link #adopt(String, String)}. The topology opens a handle of its own at apply: the
     * caller's stays the caller's to close.
     */
    public TopologyBuilder adopt(String name, NetNamespace namespace) {
        return adopt(name, namespace == null ? null : Adoption.handle(namespace), "adopt");
    }

    /** Adopts namespace {@code name} as {@code how} reaches it (for a change's copy of the description). */
    TopologyBuilder adopt(String name, Adoption how) {
        return adopt(name, how, "adopt");
    }

    private TopologyBuilder adopt(String name, Adoption how, String call) {
        if (name == null || how == null || TopologySpec.ROOT.equals(name)) {
            problems.add(call + "(" + quoted(name) + ", ...): a host name and the namespace to adopt are needed"
                    + (TopologySpec.ROOT.equals(name) ? " (the root namespace is entered with root())" : ""));
            return this;
        }
        Drafts.Ns n = namespace(name);
        if (n.adoption != null || n.declared) {
            problems.add(call + "(\"" + name + "\", ...): namespace " + name + " is already declared");
        }
        n.adoption = how;
        ns = n;
        ns.declare(order++);
        dev = null;
        route = null;
        return this;
    }

    /**
     * Enters the root namespace (the JVM's own) to create devices there. Devices in the root
     * namespace are never made implicitly: this call, or {@link Topology#ROOT} as a peer namespace,
     * is the explicit request. netvirt changes none of the root namespace's sysctls and adds no route
     * there (a route declared in it is refused); the kernel itself adds the routes that go with a root
     * device, as it does for one iproute2 makes: the prefix route of each address, and the IPv6
     * link-local ones ({@code fe80::/64}, and the {@code local} route of the device's {@code fe80::}
     * address) when it comes up ({@code quiet()}, which would turn IPv6 off on it, is refused here),
     * and removes them with the device. Names
     * in the root namespace are used as given (the prefix applies to namespace names only), so
     * copies side by side need distinct root device names.
     */
    public TopologyBuilder root() {
        ns = namespace(TopologySpec.ROOT);
        ns.declare(order++);
        dev = null;
        route = null;
        return this;
    }

    /** Turns on IPv4 and IPv6 forwarding in the current namespace (a router). */
    public TopologyBuilder forwarding() {
        if (need("forwarding()")) {
            ns.forwarding = true;
        }
        return this;
    }

    // ------------------------------------------------------------ devices

    /** A veth pair with both ends in the current namespace. */
    public TopologyBuilder veth(String name, String peerName) {
        return veth(name, ns == null ? null : ns.name, peerName);
    }

    /** A veth pair: {@code name} in the current namespace, {@code peerName} in namespace {@code peerNs}. */
    public TopologyBuilder veth(String name, String peerNs, String peerName) {
        if (ns == null || name == null || peerNs == null || peerName == null) {
            String what = "veth(" + quoted(name) + ", " + quoted(peerNs) + ", " + quoted(peerName) + ")";
            if (need(what)) {
                problems.add("namespace " + TopologySpec.label(ns.name) + ": " + what + ": names must not be null");
            }
            return this;
        }
        Drafts.Ns here = ns;
        Drafts.Ns there = namespace(peerNs);
        Drafts.Dev peer = there.dev(peerName);
        peer.declare(Kind.VETH, order++);
        peer.peerNs = here.name;
        peer.peerName = name;
        Drafts.Dev end = declare(name, Kind.VETH);
        end.peerNs = there.name;
        end.peerName = peerName;
        end.creator = true;
        end.order = Math.min(end.order, peer.order);
        return this;
    }

    /** A Linux bridge in the current namespace. */
    public TopologyBuilder bridge(String name) {
        if (ns != null || need("bridge(" + quoted(name) + ")")) {
            declare(name, Kind.BRIDGE);
        }
        return this;
    }

    /**
     * A TAP device in the current namespace, held open by the live topology ({@link Topology#tap}).
     * Like every device it is up unless {@link #down()} is called, and then the kernel itself sends
     * frames on it: IPv6 duplicate address detection, router solicitations and MLD reports from the
     * moment it is up (measured: 6 frames in its first 3 s, all IPv6). A packet tool that must read
     * only what others send calls {@link #quiet()}. (A tap left down cannot carry frames at all:
     * writing to it fails with {@code EIO}.)
     */
    public TopologyBuilder tap(String name) {
        if (ns != null || need("tap(" + quoted(name) + ")")) {
            declare(name, Kind.TAP);
        }
        return this;
    }

    /**
     * A macvlan device in mode {@code bridge} on {@code lower}, a device of the current namespace. A
     * bridge's port cannot be a lower device (the kernel answers {@code EBUSY}): put the macvlan on the
     * bridge. A passthru macvlan is the only macvlan on its lower device (a macvlan on a macvlan sits
     * on the other's lower device), and has that device's MAC address. A macvlan or vxlan is made once
     * its lower device has its declared MTU and MAC, and a bridge its ports, whose MTU it takes.
     */
    public TopologyBuilder macvlan(String name, String lower) {
        return macvlan(name, lower, MacvlanMode.BRIDGE);
    }

    public TopologyBuilder macvlan(String name, String lower, MacvlanMode mode) {
        if (ns != null || need("macvlan(" + quoted(name) + ", ...)")) {
            Drafts.Dev d = declare(name, Kind.MACVLAN);
            d.settings = new MacvlanSettings(mode);
            lower(d, Kind.MACVLAN, lower);
        }
        return this;
    }

    /**
     * A vxlan device with {@code vni} in the current namespace, UDP port 4789; set its peer with
     * {@link #remote} or {@link #group}, and optionally {@link #local}, {@link #dstPort}, {@link #lower}.
     * A namespace holds one vxlan per VNI, UDP port and address family, whatever their remote and
     * local addresses (the kernel answers {@code EEXIST}).
     */
    public TopologyBuilder vxlan(String name, int vni) {
        if (ns != null || need("vxlan(" + quoted(name) + ", " + vni + ")")) {
            declare(name, Kind.VXLAN).settings = VxlanSettings.of(vni);
        }
        return this;
    }

    /**
     * The current vxlan device's unicast peer (no leading zeros, as in {@link #addr}): another host's
     * address, so neither the unspecified address (the kernel would take it as no remote), IPv4's limited
     * broadcast address nor a loopback address; a multicast group is given with {@link #group}.
     */
    public TopologyBuilder remote(String ip) {
        return vxlanAddress("remote", ip, VxlanSettings::withRemote);
    }

    /** The current vxlan device's multicast group (needs {@link #lower}). */
    public TopologyBuilder group(String ip) {
        return vxlanAddress("group", ip, VxlanSettings::withGroup);
    }

    /**
     * The current vxlan device's local (source) address: unicast, as iproute2 requires, and neither the
     * unspecified address (the kernel would take it as no local address), IPv4's limited broadcast
     * address nor a loopback address (the kernel would send from it). As the kernel
     * requires, an IPv6 link-local one needs a {@link #lower} device and link-local peers, and a
     * link-local {@link #remote} needs a link-local local address.
     */
    public TopologyBuilder local(String ip) {
        return vxlanAddress("local", ip, VxlanSettings::withLocal);
    }

    /** Sets address {@code what} of the current vxlan device. */
    private TopologyBuilder vxlanAddress(
            String what, String ip, BiFunction<VxlanSettings, InetAddress, VxlanSettings> set) {
        VxlanSettings x = vxlanSettings(what + "(" + quoted(ip) + ")");
        InetAddress a = ip == null ? null : parsed(ip, TopologyBuilder::addressWord, () -> what);
        if (x != null && given(ip, "ip", here(what + "(null)")) && a != null) {
            dev.settings = set.apply(x, a);
        }
        return this;
    }

    /** The current vxlan device's UDP destination port. */
    public TopologyBuilder dstPort(int port) {
        VxlanSettings x = vxlanSettings("dstPort(" + port + ")");
        if (x != null) {
            dev.settings = x.withDstPort(port);
        }
        return this;
    }

    /** The current vxlan device's lower (underlay) device, in the same namespace. */
    public TopologyBuilder lower(String lowerDev) {
        VxlanSettings x = vxlanSettings("lower(" + quoted(lowerDev) + ")");
        if (x != null && lowerDev == null) {
            problems.add(where() + ": lower(null): which device?");
        } else if (x != null) {
            lower(dev, Kind.VXLAN, lowerDev);
        }
        return this;
    }

    /** Sets the lower device of {@code d}, a {@code kind}, to {@code lowerDev} of the current namespace. */
    private void lower(Drafts.Dev d, Kind kind, String lowerDev) {
        d.lower = lowerDev;
        if (lowerDev != null) {
            ns.dev(lowerDev).usedBy.add(new Drafts.Use(kind.iproute2(), d.name));
        }
    }

    /**
     * Declares {@code d}, a device of a validated description, in the current namespace as the
     * builder calls of its kind would (a veth's other end comes with its creating end); its
     * settings common to every kind follow with {@link #dev}.
     */
    void declare(DeviceSpec d) {
        if (d.kind() == Kind.VETH) {
            if (d.creator()) {
                veth(d.name(), d.peerNs(), d.peerName());
            }
            return;
        }
        Drafts.Dev x = declare(d.name(), d.kind());
        x.settings = d.settings();
        lower(x, d.kind(), d.lower());
    }

    /**
     * Selects a device of the current namespace that the topology declares (for example a veth's peer
     * end) to configure it. The topology configures only the devices it makes: {@code lo}, which the
     * kernel gives every namespace, and the root or an adopted namespace's own devices are refused
     * ({@link Topology#netlink} reaches them once applied).
     */
    public TopologyBuilder dev(String name) {
        if (name == null) {
            problems.add("dev(null): which device?");
            return this;
        }
        if (ns != null || need("dev(\"" + name + "\")")) {
            dev = ns.dev(name);
            route = null;
            dev.usedBy.add(new Drafts.Use("dev", name));
        }
        return this;
    }

    /**
     * Removes device {@code name} of the current namespace from the description (a veth: both
     * ends; a bridge port leaves its bridge with it). In a change ({@link Topology#change()}) the
     * device is deleted once everything the change adds is made. Refused when the description keeps a
     * port of it, a macvlan or vxlan on it, or a route out of it (also one declared without a device
     * that the kernel put out of it for its gateway): checked once the description is whole
     * (by {@link #spec()}, {@link #plan()}, {@link #apply()}), so those may be removed before or after
     * it, also with a namespace or through a veth's other end. A change may not declare a device it
     * removed by the same name again (with other settings, of another kind, a veth to another peer):
     * the new device could only be made once the old one is deleted, which a failure of the change
     * could not undo. Remove it in one change and declare it in the next (each is all or nothing). Removing a device
     * the description took out already (the other end of a veth goes with it, with its namespace too)
     * is a problem that names what took it out.
     */
    public TopologyBuilder removeDevice(String name) {
        if (need("removeDevice(" + quoted(name) + ")")
                && given(name, "name", here("removeDevice(null)"))
                && Removals.device(namespaces, ns, name, problems, this::removedFromBase)) {
            dev = null;
            route = null;
        }
        return this;
    }

    /**
     * Removes namespace {@code name} from the description, with its devices and the other ends of
     * its veths (ports leave their bridges). In a change the namespace is removed as by
     * {@link Topology#close()} (its processes ended first) once everything the change adds is made.
     * The root namespace and adopted namespaces cannot be removed. A change may not declare a
     * namespace it removed again, nor the other end of a veth it removed by the same name (see
     * {@link #removeDevice}): remove it in one change and declare it in the next.
     */
    public TopologyBuilder removeNamespace(String name) {
        if (given(name, "name", "removeNamespace(null)")
                && Removals.namespace(namespaces, name, problems, this::removedFromBase)) {
            if (base != null && base.findNamespace(name).isPresent()) {
                removedNamespaces.add(name);
            }
            dev = null;
            route = null;
            if (ns != null && ns.name.equals(name)) {
                ns = null;
            }
        }
        return this;
    }

    // ------------------------------------------------------------ settings of the current device

    /**
     * Adds an address with its prefix length, IPv4 ({@code 10.0.1.1/24}) or IPv6 ({@code fd00::1/64}).
     * An IPv4 number or a prefix length with a leading zero ({@code 010.0.0.1}, {@code /024}) is
     * refused, here and in every address of the DSL: iproute2 would read it as octal; so is
     * whitespace inside the text ({@code 10.0.1.1 /24}; around it, it is ignored). Refused too: the
     * unspecified address, a multicast address, {@code 255.255.255.255} and {@code ::1}, which the
     * kernel refuses or takes to no effect, and an address another device of the same layer-2
     * segment has (joined by veth pairs, bridges and macvlans), in its namespace or another:
     * netvirt's namespaces add IPv6 addresses without duplicate address detection, so the kernel
     * would take both. Devices of one namespace on separate segments may share one, as the kernel
     * lets them (a router's {@code fe80::1/64} or an unnumbered {@code 10.0.0.1/32} on each link).
     */
    public TopologyBuilder addr(String cidr) {
        IpPrefix a = deviceArg("addr", cidr, TopologyBuilder::prefixWord);
        if (a != null) {
            dev.addresses.add(a);
        }
        return this;
    }

    /**
     * Removes address {@code cidr} from the current device's description; in a change
     * ({@link Topology#change()}) it is deleted once everything the change adds is made. An IPv4
     * secondary (an address added while the device had one on the same subnet, as the kernel lists
     * it) is deleted alone. The subnet's primary is refused while another address on the subnet stays
     * or is added, since the kernel would delete those with it, unless {@code promote_secondaries} is
     * on for the device in its namespace (then a secondary takes the primary's place): remove the
     * secondaries, or all of the subnet's addresses. Removing a device's last IPv4 address (of those
     * the kernel lists on it: one added by hand counts, one deleted by hand does not) is refused
     * while the description keeps an IPv4 route out of it (as for {@link #removeDevice}), since the
     * kernel deletes those with it: removeRoute(...) them too, or add another IPv4 address to it.
     */
    public TopologyBuilder removeAddr(String cidr) {
        IpPrefix a = deviceArg("removeAddr", cidr, TopologyBuilder::prefixWord);
        if (a != null && !dev.addresses.remove(a)) {
            problems.add(where() + ": removeAddr(\"" + cidr + "\"): the device has no such address");
        }
        return this;
    }

    /**
     * The current device's MTU, given when it is made. Refused where the kernel would take it to no
     * effect or refuse it: a vxlan's above its {@link #lower} device's MTU less 50 bytes (70 with an
     * IPv6 underlay), a bridge's other than its ports' smallest (the kernel sets that as ports are
     * added), a macvlan's above its lower device's. Without one, a device gets the kernel's default:
     * 1500, a vxlan its lower device's less the encapsulation, a macvlan its lower device's, a bridge
     * its ports' smallest.
     */
    public TopologyBuilder mtu(int mtu) {
        if (dev != null || needDev("mtu(" + mtu + ")")) {
            dev.mtus.add(mtu);
        }
        return this;
    }

    /**
     * Makes the current device with {@code count} transmit and {@code count} receive queues
     * ({@code ip link add ... numtxqueues N numrxqueues N}), 1..4096, where the kernel's default would
     * be one per possible CPU for a veth and one for most other kinds. A veth end without a count of
     * its own takes its peer's: the kernel makes both ends in one request. One queue each way makes
     * a veth pair cheaper to create (KERNEL-NOTES.md). Refused on a tap.
     */
    public TopologyBuilder queues(int count) {
        if (dev != null || needDev("queues(" + count + ")")) {
            dev.queues.add(count);
        }
        return this;
    }

    /**
     * The current device's MAC address: unicast, and on no other device of the same layer-2 segment
     * (the other end of a veth, a bridge's other ports and the far ends of their veths, a macvlan's
     * lower device and its other macvlans). A bridge may have one of its ports' MACs. Refused on a
     * passthru macvlan, which has its lower device's (the kernel takes no other): give the lower
     * device the MAC.
     */
    public TopologyBuilder mac(String mac) {
        MacAddress m = deviceArg("mac", mac, MacAddress::parse);
        if (m != null) {
            dev.macs.add(m);
        }
        return this;
    }

    /**
     * Keeps the current device, a tap, quiet: IPv6 is turned off on it
     * ({@code net.ipv6.conf.DEV.disable_ipv6=1}, set before it goes up), so the kernel sends nothing
     * on it by itself and a reader of the tap sees only frames that traffic causes (ARP and IPv4
     * included). Refused on other kinds of device, in the root namespace, and with an IPv6 address.
     */
    public TopologyBuilder quiet() {
        if (needDev("quiet()")) {
            dev.quiet = true;
        }
        return this;
    }

    /** Leaves the current device down (devices are up by default). */
    public TopologyBuilder down() {
        if (needDev("down()")) {
            dev.ups.add(false);
        }
        return this;
    }

    /** Brings the current device up (the default; useful only to state it). */
    public TopologyBuilder up() {
        if (needDev("up()")) {
            dev.ups.add(true);
        }
        return this;
    }

    // ------------------------------------------------------------ link conditions (veth ends)

    /**
     * Limits the current link's rate in each direction, {@code tc}'s notation: {@code 10mbit},
     * {@code 512kbit}, {@code 1gbit}, {@code 100kbps} (bytes). The current device must be a veth end;
     * the condition covers both directions of its pair, as Mininet's {@code addLink(bw=...)} does.
     * See {@link #delay(Duration)} for how conditions are applied.
     */
    public TopologyBuilder rate(String rate) {
        return condition("rate(" + quoted(rate) + ")", c -> c.withRate(rate));
    }

    /** As {@link #rate(String)}, in bits per second. */
    public TopologyBuilder rate(long bitsPerSecond) {
        return condition("rate(" + bitsPerSecond + ")", c -> c.withRate(bitsPerSecond));
    }

    /**
     * Delays every IP frame of the current link by {@code delay} in each direction (so a round trip
     * takes twice as long). The current device must be a veth end; one end of a pair carries the
     * pair's condition. With {@link #jitter}, {@link #loss}, {@link #rate(String)} it is applied by
     * {@link #apply()} and removed by {@link Topology#close()}: through {@code netem} and {@code tbf}
     * where the kernel has netem, otherwise through a seeded relay in this JVM, which adds a TAP
     * device next to each end (see {@link Topology#condition}); the ends keep their names,
     * addresses and routes.
     */
    public TopologyBuilder delay(Duration delay) {
        return condition("delay(" + delay + ")", c -> c.withDelay(delay));
    }

    /** Varies the current link's delay uniformly in [delay - jitter, delay + jitter] (never below zero). */
    public TopologyBuilder jitter(Duration jitter) {
        return condition("jitter(" + jitter + ")", c -> c.withJitter(jitter));
    }

    /** Loses the fraction {@code loss} (in [0, 1]) of the current link's IP frames, in each direction. */
    public TopologyBuilder loss(double loss) {
        return condition("loss(" + loss + ")", c -> c.withLoss(loss));
    }

    /**
     * The seed of the current link's loss and jitter decisions. Without one, the seed is derived from
     * the link's namespace and device names, so runs repeat anyway.
     */
    public TopologyBuilder conditionSeed(long seed) {
        Drafts.Dev d = dev;
        condition("conditionSeed(" + seed + ")", c -> c.withSeed(seed));
        if (d != null && d == dev && d.condition != null) {
            d.seeded = true;
        }
        return this;
    }

    private TopologyBuilder condition(String what, UnaryOperator<LinkCondition> change) {
        if (!needDev(what)) {
            return this;
        }
        try {
            dev.condition = change.apply(dev.condition == null ? LinkCondition.NONE : dev.condition);
        } catch (IllegalArgumentException | NullPointerException e) {
            problems.add(where() + ": " + what + ": " + e.getMessage());
        }
        return this;
    }

    /** Enslaves the current device to {@code bridge}, a bridge of the same namespace. */
    public TopologyBuilder master(String bridge) {
        if (bridge == null) {
            problems.add("master(null): which bridge?");
            return this;
        }
        if (dev != null || needDev("master(\"" + bridge + "\")")) {
            dev.masters.add(bridge);
            ns.dev(bridge).usedBy.add(new Drafts.Use("master of", dev.name));
        }
        return this;
    }

    /** Enslaves {@code devices} of the current namespace to the current device, a bridge. */
    public TopologyBuilder ports(String... devices) {
        if (!needDev("ports(...)")) {
            return this;
        }
        if (dev.kind != null && dev.kind != Kind.BRIDGE) {
            problems.add(where() + ": ports(...) on a " + dev.kind.iproute2() + ", not a bridge");
            return this;
        }
        if (devices == null) {
            problems.add(where() + ": ports(null): which devices?");
            return this;
        }
        for (String port : devices) {
            if (port == null) {
                problems.add(where() + ": ports(...) with a null name");
                continue;
            }
            Drafts.Dev p = ns.dev(port);
            p.masters.add(dev.name);
            p.usedBy.add(new Drafts.Use("port of", dev.name));
        }
        return this;
    }

    // ------------------------------------------------------------ routes of the current namespace

    /** {@code ip route add DST via GATEWAY}; {@code dst} "default" is the default route. */
    public TopologyBuilder route(String dst, String via) {
        return route(dst, via, null);
    }

    /**
     * {@code ip route add DST [via GATEWAY] [dev DEV]}; gateway or dev may be null, not both. A
     * {@code DST} with host bits set ({@code 10.7.1.2/16}) is refused, as iproute2 refuses it, not
     * corrected to its network; so is a number with a leading zero, as in {@link #addr}, and (as the
     * kernel answers EEXIST) a route to the subnet of an IPv4 address of an up device of the
     * namespace, which the kernel made with the address (in the main table, of metric 0; for an IPv6
     * address, of metric 256, so an IPv6 route of the default metric 1024 there is made). A gateway
     * is on a subnet of the device (of the namespace, without one), or under a route of the namespace
     * without a gateway out of it, in this route's table, main or default, as the kernel requires:
     * {@code route("169.254.1.1/32", null, "eth0").route("default", "169.254.1.1", "eth0")}. The
     * plan adds such a route before the routes through it, and a change deletes it after them.
     */
    public TopologyBuilder route(String dst, String via, String devName) {
        String what =
                "route(" + quoted(dst) + ", " + quoted(via) + (devName == null ? "" : ", " + quoted(devName)) + ")";
        if (!need(what)) {
            return this;
        }
        route = parsedRoute(dst, via, devName, what);
        if (route != null) {
            ns.routes.add(route);
        }
        return this;
    }

    /**
     * {@code ip route del DST}: removes the current namespace's route to {@code dst} declared before it from the
     * description, the one of the default metric in the main table unless {@link #metric} and
     * {@link #table} follow, as for {@link #route}: the kernel tells routes apart by destination,
     * metric and table. {@code dst} "default" is the namespace's declared default route of the one
     * family it has one of in the removal's table, of its metric when one follows ({@code ip route del
     * default}, {@code ip -6 route del default}), IPv4 when it has none there; refused when it has
     * both there: say {@code 0.0.0.0/0} or {@code ::/0}. See
     * {@link #removeRoute(String, String, String)}.
     */
    public TopologyBuilder removeRoute(String dst) {
        return removeRoute(dst, null, null);
    }

    /**
     * {@code ip route del DST [via GATEWAY] [dev DEV]}: as {@link #removeRoute(String)}, and the
     * route must go via {@code via} and out of {@code devName} where they are not null (a route
     * declared without a device takes none). In a change
     * ({@link Topology#change()}) the route is deleted once everything the change adds is made, and
     * only if the kernel lists it as the topology added it (a route replaced through
     * {@link Topology#netlink} since is refused, one declared without a device also when it goes out
     * of another device than the kernel chose when it was added, and the kernel's own routes are never the
     * description's); one that a down took ({@link Topology#down}, a {@code LinkCut} of netvirt-faults) is not
     * given back when it ends.
     * Refused: a route the namespace does not have (the message lists the routes it has to that
     * destination; in a change also those the kernel lists that the topology did not declare, such as
     * an address's prefix route), and, in a change, a live route it removes and declares again (not
     * removing it again) by its destination, metric and table, which would be a replacement: remove it in one change
     * and declare it in the next, or replace the live route through {@link Topology#netlink}. A device
     * a route goes out of may be removed once the route is, also in the same change, before or after
     * this call (in an adopted namespace too).
     */
    public TopologyBuilder removeRoute(String dst, String via, String devName) {
        String what = "removeRoute(" + quoted(dst)
                + (via == null && devName == null ? "" : ", " + quoted(via) + ", " + quoted(devName)) + ")";
        if (!need(what)) {
            return this;
        }
        route = parsedRoute(dst, via, devName, what);
        if (route != null) {
            route = route.removalAfter(ns.routes.size());
        }
        if (route != null && "default".equals(dst) && via == null) { // with a gateway, the gateway's family
            route = route.ofEitherFamily();
        }
        if (route != null) {
            ns.removedRoutes.add(route);
        }
        return this;
    }

    /**
     * The route to {@code dst} via {@code via} out of {@code devName} that {@code what} declares or
     * removes, or null when {@code dst} or {@code via} is no address (a problem noted); {@code dst}
     * "default" is the default route of the gateway's family, IPv4 without one.
     */
    private Drafts.Route parsedRoute(String dst, String via, String devName, String what) {
        if (!given(dst, "dst", here(what))) {
            return null;
        }
        InetAddress gw = via == null ? null : parsed(via, TopologyBuilder::addressWord, () -> "gateway");
        if (via != null && gw == null) {
            return null;
        }
        IpPrefix d = "default".equals(dst)
                ? IpPrefix.parse(gw != null && gw.getAddress().length == 16 ? "::/0" : "0.0.0.0/0")
                : parsed(dst, TopologyBuilder::routeDestination, () -> what);
        return d == null ? null : new Drafts.Route(d, gw, devName, what);
    }

    /**
     * The metric of the route just declared ({@code ip route add ... metric N}, {@code RTA_PRIORITY}),
     * 0 or more: of two routes to one destination, the one of the lower metric is used. Without one,
     * a route has the kernel's default: 0 for IPv4, 1024 for IPv6 (where the kernel takes 0 as 1024
     * too). It applies to the last {@link #route}, {@link #gateway} or {@link #removeRoute} of the
     * current namespace, while no namespace or device was entered since.
     */
    public TopologyBuilder metric(int metric) {
        String what = "metric(" + metric + ")";
        if (metric < 0) {
            problems.add(routeWhere() + what + ": a metric is 0 or more");
        } else if (needRoute(what)) {
            if (route.eitherFamily()
                    && route.metric() != null
                    && route.metric() != metric
                    && NamespaceRoute.kernelMetric(IPV6_DEFAULT, route.metric())
                            == NamespaceRoute.kernelMetric(IPV6_DEFAULT, metric)) {
                // 0 and 1024 are one metric for IPv6 only: the removal of "default" is IPv6's
                replaceRoute(route.ofFamily(IPV6_DEFAULT));
            }
            if (route.metric() != null
                    && NamespaceRoute.kernelMetric(route.destination(), route.metric())
                            != NamespaceRoute.kernelMetric(route.destination(), metric)) {
                problems.add(
                        routeWhere() + route.text() + ": conflicting metrics [" + route.metric() + ", " + metric + "]");
            } else {
                replaceRoute(route.withMetric(metric));
            }
        }
        return this;
    }

    /**
     * The routing table of the route just declared ({@code ip route add ... table N}, {@code
     * RTA_TABLE}), as {@link #metric} applies to it: 1 to 2^31-1 except 255, the kernel's {@code
     * local} table (its own routes to the namespace's addresses); 254 is {@code main}, where a route
     * goes without one, and 253 {@code default}. A table other than these is consulted only through a
     * routing policy rule ({@code ip rule}), which netvirt does not make. Refused: 0, which the kernel
     * takes as {@code main} without a word.
     */
    public TopologyBuilder table(int table) {
        String what = "table(" + table + ")";
        if (table <= 0) {
            problems.add(routeWhere() + what + ": a table is 1 to 2^31-1 (the kernel takes 0 as main)");
        } else if (table == 255) {
            problems.add(routeWhere() + what + ": 255 is the kernel's local table, which holds its own routes"
                    + " to the namespace's addresses");
        } else if (needRoute(what)) {
            if (route.table() != null && route.table() != table) {
                problems.add(
                        routeWhere() + route.text() + ": conflicting tables [" + route.table() + ", " + table + "]");
            } else {
                replaceRoute(route.withTable(table));
            }
        }
        return this;
    }

    /**
     * Leaves no namespace, device or route current, as in a new builder: for a change's builder,
     * whose last replayed live namespace, device and route are none the caller entered or declared
     * (an {@code addr(...)}, {@code route(...)} or {@code metric(...)} first in a change is refused,
     * not applied to them).
     */
    void enterNothing() {
        ns = null;
        dev = null;
        route = null;
    }

    /** Whether a route was just declared for {@code what} to set; notes a problem if not. */
    private boolean needRoute(String what) {
        if (route == null) {
            problems.add(routeWhere() + what
                    + ": no route to set it on: call it right after route(...), gateway(...) or removeRoute(...)");
            return false;
        }
        return true;
    }

    private String routeWhere() {
        return ns == null ? "" : "namespace " + TopologySpec.label(ns.name) + ": ";
    }

    private void replaceRoute(Drafts.Route r) {
        List<Drafts.Route> in = ns.removedRoutes.stream().anyMatch(x -> x == route) ? ns.removedRoutes : ns.routes;
        for (int i = in.size() - 1; i >= 0; i--) {
            if (in.get(i) == route) {
                in.set(i, r);
                break;
            }
        }
        route = r;
    }

    /** {@code text} as a route destination: refused with host bits set, as {@link RouteSpec#to} refuses it. */
    private static IpPrefix routeDestination(String text) {
        IpPrefix d = prefixWord(text);
        RouteSpec.to(d);
        return d;
    }

    /**
     * The default route via {@code gateway} (IPv4 or IPv6), another host on a subnet of the namespace
     * or under one of its routes without a gateway (see {@link #route(String, String, String)}): not
     * one of its own addresses, nor a subnet's broadcast address.
     */
    public TopologyBuilder gateway(String gateway) {
        return route("default", gateway, null);
    }

    // ------------------------------------------------------------ results

    /** Validates and freezes the description. */
    public TopologySpec spec() {
        return new Validator(prefix, ephemeral, namespaces, withDeclaredAgain(), base)
                .reading(live == null ? null : LiveChange.kernel(live))
                .validate();
    }

    /** Notes device {@code k}, taken out of the description, if the live topology has it. */
    private void removedFromBase(DeviceKey k) {
        if (base != null
                && base.findNamespace(k.ns()).flatMap(n -> n.device(k.dev())).isPresent()) {
            removedDevices.add(k);
        }
    }

    /**
     * The problems noted so far and, in a change, one for each device or namespace of the live
     * topology that it removed and declares again. A namespace holds one device by a name (and
     * {@code /run/netns} one namespace), so the new one could be made only once the old one is
     * deleted, and a change deletes last, once everything it adds is made, so that a failure leaves
     * the network as it was. Declared again with the same settings it is refused too, not read as
     * the old device kept (the descriptions before and after would not tell them apart).
     */
    private List<String> withDeclaredAgain() {
        if (removedDevices.isEmpty() && removedNamespaces.isEmpty()) {
            return problems;
        }
        String why = ": removed and declared again in one change, which cannot make the new one before it"
                + " deletes the old one (a change deletes last, so that a failure leaves the network as it"
                + " was): remove it in one change and declare it in the next";
        List<String> all = new ArrayList<>(problems);
        for (String n : removedNamespaces) {
            if (namespaces.containsKey(n) && namespaces.get(n).declared) {
                all.add("namespace " + TopologySpec.label(n) + why);
            }
        }
        for (DeviceKey k : removedDevices) {
            Drafts.Ns n = namespaces.get(k.ns());
            Drafts.Dev d = n == null ? null : n.devices.get(k.dev());
            if (d != null && d.kind != null) {
                all.add("device " + TopologySpec.label(k.ns()) + "/" + k.dev() + why);
            }
        }
        return all;
    }

    /** The ordered steps {@link #apply()} will take. */
    public Plan plan() {
        if (live != null) {
            return live.planChange(base, spec());
        }
        return Planner.plan(spec());
    }

    /** iproute2 commands that build the same network (named namespaces, with the prefix). */
    public String toScript() {
        return plan().toScript();
    }

    /** A Mermaid flowchart of namespaces, devices and links. */
    public String toMermaid() {
        return plan().toMermaid();
    }

    /**
     * Builds the network in the kernel: all of it, or (on failure) none of it. A pending interrupt
     * does not stop it: apply completes (or, on a failure, rolls back completely) and the thread's
     * interrupt flag is still set when it returns. An interrupt that comes while it runs cancels it
     * where it is next noticed: once it has validated the description and planned the steps (also
     * for an interrupt that came meanwhile: nothing is named or added then), at a hand-off to another thread (a tap, forwarding; the namespaces are
     * all made in one hand-off per switching thread) and, once the namespaces are made, before each
     * namespace's pipelined batch of netlink requests (one read of the interrupt flag per batch; after
     * the last batch, only a hand-off or the wait for DAD below notices it); everything done is
     * undone, and it throws {@link java.util.concurrent.CancellationException} with the flag set. When
     * the JVM shuts down while an apply (not a change) runs, a shutdown hook netvirt registers on the
     * first apply interrupts it and waits up to 10 s for its rollback; it closes no topology an apply
     * returned. Named
     * namespaces and devices in the root namespace are written to a crash record first (see
     * {@link Topology#cleanup()}); devices made in the root namespace carry a device group ({@code ip link ... group N}, a random number of
     * 2^30 and above) from their creating request, by which close(), rollback and cleanup find them;
     * taps excepted, which the kernel makes without a netlink request to tag: they carry no group,
     * are the topology's by the fd it holds open, and vanish with that fd (also when the JVM dies).
     * The first apply in a JVM also starts {@link Topology#reapInBackground()}; while it runs, an
     * apply that wants a name (a named namespace, a device in the root namespace) that is taken waits
     * for it first (up to 30 s): a dead owner's names it removes are taken as usual. On a builder from
     * {@link Topology#change()}, applies the change to that topology and returns it. Every device it
     * brought up is fully up when it returns: the kernel has activated its transmit queue and, for a
     * bridge port, started forwarding (work the kernel otherwise does asynchronously once a carrier
     * comes on), so a frame sent at once is not dropped. Every IPv6 address it added to an up device
     * is usable when it returns, none {@code tentative} under the kernel's duplicate address detection
     * (DAD): in the namespaces netvirt makes, addresses are added {@code nodad} and, in a topology with
     * any IPv6 address or route, the devices run no DAD at all ({@code accept_dad=0}, so their
     * link-local addresses are usable at once too); in the root and adopted namespaces, where foreign
     * hosts may share a link, DAD runs and apply waits for it (1-2 s with the kernel's defaults,
     * bounded by the device's DAD settings plus a second; not for a device without a carrier). A
     * change that gives an IPv4-only topology its first IPv6 address or route turns DAD off in the
     * namespaces netvirt made for the devices there and later ones (set back if it fails; its
     * {@code toScript()} shows the sysctl writes, {@link Action#DAD_OFF}), and waits
     * for the link-local addresses of the devices that were up, whose DAD began when they came up; the
     * change that removes its last turns DAD on again there ({@link Action#DAD_ON}).
     *
     * @throws InvalidTopologyException if the description is invalid (before anything is named, added or
     *     changed: the unnamed namespaces a fresh apply without the root or an adopted namespace
     *     begins while it validates are closed)
     * @throws ApplyException if a kernel request fails (everything done is undone); for a name that
     *     is still taken (EEXIST), the message says whose it is where a crash record proves it; EEXIST
     *     before anything is named or added when another apply or change of this JVM is taking one of its names
     *     (a named namespace, a device in the root namespace) at the same moment; if DAD
     *     finds an address in the root or an adopted namespace in use on its link ({@code dadfailed},
     *     EADDRINUSE) or does not end in time (ETIMEDOUT), naming the address; if the crash record
     *     cannot be written (a full or read-only file system, a record directory that cannot be made:
     *     the cause is the {@link java.io.UncheckedIOException} naming the errno), at the step it is
     *     written for (the first one, when the record is begun)
     * @throws java.util.concurrent.CancellationException if the thread was interrupted while it ran
     *         (everything done is undone; the interrupt flag is set), or the JVM began shutting down
     *         (netvirt's shutdown hook's interrupt; everything done is undone)
     * @throws IllegalStateException if the crash record directory may not be trusted (a symbolic link,
     *     not a directory, someone else's, writable by others: before anything is named or added); if the
     *     JVM is shutting down (nothing is made); on a change, if
     *     the topology is closed or another change was applied since this one began
     * @throws IllegalArgumentException if the system property {@code netvirt.reaper} is set to
     *     neither true nor false, or {@code netvirt.run.dir} to an empty value (before anything is
     *     named or added)
     */
    public Topology apply() {
        return apply(ApplyOptions.DEFAULT);
    }

    /**
     * Removes the topology built from this description that a process (this one or an earlier one)
     * left running with {@link Topology#detach()}, as {@link Topology#removeDetached(String)} removes
     * it, with the same proof of kernel identity. It matches a detached topology that began from this
     * description (its first {@code apply()}), whatever its changes ({@link Topology#change()}) made of
     * it since: the namespaces they added go too, those they removed are gone already; and one whose
     * named namespaces are now exactly those of this description. Another detached topology is never
     * touched, even one holding some of these names or sharing the prefix. Every detached topology
     * that matches is removed.
     *
     * @return what was removed, one line per object (empty when no detached topology holds a
     *     namespace of this description, or when it has no named namespace)
     * @throws IllegalStateException if no detached topology matches while another detached topology
     *     holds a namespace named as one of this description's: nothing is removed, and the message
     *     names that topology and the {@code Topology.removeDetached(name)} call that removes it;
     *     or if one matched whose record another process holds locked, as
     *     {@link Topology#removeDetached(String)} throws
     * @throws InvalidTopologyException if the description is invalid
     * @throws java.io.UncheckedIOException if the record directory cannot be read or locked
     */
    public List<String> removeDetached() {
        TopologySpec spec = spec();
        return Uninterrupted.call(() -> Cleaner.removeDetached(RunDir.current(), spec));
    }

    Topology apply(ApplyOptions options) {
        // an interrupt pending now is held back from here on; one that comes while it validates and
        // plans is noticed once it has planned, before anything is named or added
        return Uninterrupted.cancellable(() -> {
            if (live != null) {
                base = live.applyChange(base, spec(), options);
                // what it removed is gone: a device by one of their names is a new one now
                removedDevices.clear();
                removedNamespaces.clear();
                return live;
            }
            // the kernel makes the namespaces while the description is validated and planned
            NamespacesAhead ahead = Namespaces.begin(namespaces.values());
            try {
                Plan plan = plan();
                Applier.cancelIfInterrupted("apply");
                return Applier.apply(plan, options, ahead);
            } finally {
                if (ahead != null) {
                    ahead.close();
                }
            }
        });
    }

    // ------------------------------------------------------------ helpers

    private Drafts.Ns namespace(String name) {
        String key = name == null ? "null" : name;
        Drafts.Ns n = namespaces.get(key);
        if (n == null) {
            n = new Drafts.Ns(key, TopologySpec.ROOT.equals(key));
            namespaces.put(key, n);
        }
        return n;
    }

    /** {@code text} as {@link IpPrefix#parse} reads it, when iproute2 reads it the same ({@link #decimal}). */
    private static IpPrefix prefixWord(String text) {
        return IpPrefix.parse(decimal(text));
    }

    /** {@code text} as {@link IpPrefix#parseAddress} reads it, when iproute2 reads it the same ({@link #decimal}). */
    private static InetAddress addressWord(String text) {
        return IpPrefix.parseAddress(decimal(text));
    }

    /**
     * {@code text}, refused when an IPv4 number or a prefix length in it has a leading zero: iproute2
     * reads such a number as octal ({@code 010.0.0.1/24} is {@code 8.0.0.1/24} to it, {@code /024} a
     * {@code /20}), {@link IpPrefix} as decimal.
     */
    private static String decimal(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim();
        boolean ipv4 = t.indexOf(':') < 0; // IPv6 groups are hexadecimal to both
        for (int i = 0; i + 1 < t.length(); i++) {
            char before = i == 0 ? (ipv4 ? '.' : ':') : t.charAt(i - 1);
            char next = t.charAt(i + 1);
            if ((before == '.' || before == '/') && t.charAt(i) == '0' && next >= '0' && next <= '9') {
                throw new IllegalArgumentException("\"" + text
                        + "\": a number with a leading zero: iproute2 reads it as octal; write it without the zero");
            }
        }
        return text;
    }

    private static String quoted(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }

    private Drafts.Dev declare(String name, Kind kind) {
        if (name == null) {
            problems.add("namespace " + TopologySpec.label(ns.name) + ": a " + kind.iproute2() + " named null");
            dev = new Drafts.Dev(ns.name, "null"); // configured below, never part of the topology
            route = null;
            return dev;
        }
        dev = ns.dev(name);
        route = null;
        dev.declare(kind, order++);
        return dev;
    }

    /**
     * Whether there is a current namespace; if not, {@code what} is noted as a problem. The calls a
     * topology makes most write {@code ns != null || need(...)} (and {@code dev != null ||
     * needDev(...)}: there is no current device without a current namespace), so that their text is
     * made only for a problem: the DSL runs interpreted in a program's first topologies.
     */
    private boolean need(String what) {
        if (ns == null) {
            problems.add(what + " before any ns(...): say which namespace it belongs to");
            return false;
        }
        return true;
    }

    private boolean needDev(String what) {
        if (!need(what)) {
            return false;
        }
        if (dev == null) {
            problems.add("namespace " + TopologySpec.label(ns.name) + ": " + what
                    + " with no current device (declare one, or select it with dev(...))");
            return false;
        }
        return true;
    }

    /** The current device's vxlan settings, or null (and a problem noted) when it is not a vxlan. */
    private VxlanSettings vxlanSettings(String what) {
        if (!needDev(what)) {
            return null;
        }
        if (dev.kind != Kind.VXLAN || !(dev.settings instanceof VxlanSettings x)) {
            problems.add(where() + ": " + what + " applies to a vxlan device, not a "
                    + (dev.kind == null ? "device selected with dev()" : dev.kind.iproute2()));
            return null;
        }
        return x;
    }

    /**
     * Argument {@code text} of {@code call} on the current device, parsed; null, with a problem
     * noted, when there is no current device or {@code parse} refuses it.
     */
    private <T> T deviceArg(String call, String text, Function<String, T> parse) {
        if (dev == null) {
            needDev(call + "(" + quoted(text) + ")");
            return null;
        }
        if (text == null) {
            problems.add(where() + ": " + call + "(null): the " + (call.equals("mac") ? "MAC address" : "address")
                    + " is null");
            return null;
        }
        return parsed(text, parse, () -> call + "(\"" + text + "\")");
    }

    /** {@code parse} applied to {@code text}; null, with a problem noted for {@code what}, if it refuses it. */
    private <T> T parsed(String text, Function<String, T> parse, Supplier<String> what) {
        try {
            return parse.apply(text);
        } catch (IllegalArgumentException e) {
            refused(what.get(), e);
            return null;
        }
    }

    private void refused(String what, IllegalArgumentException e) {
        problems.add(here(what) + ": " + e.getMessage());
    }

    /**
     * Whether {@code value}, parameter {@code param} of the call {@code what}, is given; when it is
     * null, a problem says so ({@code what: param is null}), reported with the others by
     * {@link #spec()}, {@link #plan()} and {@link #apply()} before anything is made.
     */
    private boolean given(Object value, String param, String what) {
        if (value == null) {
            problems.add(what + ": " + param + " is null");
        }
        return value != null;
    }

    /** {@code what}, after the current namespace or device where there is one. */
    private String here(String what) {
        return (ns == null ? "" : where() + ": ") + what;
    }

    private String where() {
        return dev == null ? "namespace " + TopologySpec.label(ns.name) : TopologySpec.label(ns.name) + "/" + dev.name;
    }
}
