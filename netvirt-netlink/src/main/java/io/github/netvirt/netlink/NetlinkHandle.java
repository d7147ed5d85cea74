package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netlink.codec.NlMessage;
import io.github.netvirt.netlink.codec.NlWriter;
import io.github.netvirt.netns.Lendable;
import io.github.netvirt.netns.Names;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.NetnsException;
import io.github.netvirt.netns.internal.Require;
import io.github.netvirt.netns.sys.Errno;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * An rtnetlink client bound to one network namespace: {@code ip link}, {@code ip addr},
 * {@code ip route}, {@code ip neigh}, {@code bridge fdb} and {@code tc qdisc}/{@code tc filter} from Java.
 *
 * <p>The handle owns one NETLINK_ROUTE socket, created inside the namespace (a socket keeps the
 * namespace it was created in, whichever thread uses it). It is thread-safe: requests from several
 * threads are serialised on the socket. Every wait has a timeout ({@link #timeout()}, 5 s by default),
 * after which a {@link NetlinkException} with ETIMEDOUT is thrown; late replies are recognised by
 * their sequence numbers and ignored. A dump that fails part-way (a timeout, a reply that does not
 * decode) is read to its end before the handle's next request, since the kernel refuses a socket's
 * next dump (EBUSY) while one is still running.
 *
 * <p>{@link #close()} closes the socket (unless the handle is lent out: {@link Lendable}): a thread
 * waiting for a reply gets a {@link NetlinkException} (EBADF), and a batch in progress sends no
 * further datagram and reports what was applied. A request made after {@code close()}, or waiting for
 * another thread's request when the handle closes, throws {@link IllegalStateException}. It also
 * closes the {@link EventSubscription}s this handle opened and that are still open, as their own
 * {@code close()} does (their listeners stop, their waits end), as {@code FileSystem.close()} closes
 * its channels; a thread in one of this handle's waits on events ({@link #awaitLink},
 * {@link #awaitDad}) gets an {@link IllegalStateException}. Concurrent calls release the socket, its
 * eventfd and its buffers once, and each returns after they and the subscriptions were released (one
 * called on a subscription's listener thread waits for no listener: {@link EventSubscription#close()}).
 *
 * <p>Errors are {@link NetlinkException}s carrying the errno, the request and the kernel's
 * extended-ack message. Invalid arguments are rejected with {@link IllegalArgumentException} before
 * anything is sent. Independent requests can be pipelined with {@link #batch()}.
 *
 * <p>Links are named by ifindex or by name. Where the kernel needs an ifindex (addresses, routes,
 * neighbours, a master, a rename) a name costs one lookup round trip first; the {@code int}
 * overloads and explicit indexes ({@link LinkSpec#index}) avoid it.
 *
 * <pre>
 * try (NetNamespace a = NetNamespace.ephemeral(); NetNamespace b = NetNamespace.ephemeral();
 *      NetlinkHandle h = NetlinkHandle.open(a)) {
 *     h.linkAdd(LinkSpec.veth("a0", "b0").peerNetns(b).up());
 *     h.addrAdd("a0", IpPrefix.parse("10.0.0.1/24"));
 * }
 * </pre>
 */
public final class NetlinkHandle extends Lendable implements NetlinkWriter<NetlinkHandle> {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final NetNamespace ns;
    private final Session session;
    private final String where;
    private volatile long timeoutNanos;
    /**
     * The subscriptions this handle opened that are still open, closed with it; held weakly, so that
     * one dropped without close() is still collected and its socket closed by the Cleaner.
     */
    private final Map<EventSubscription, Boolean> subscriptions = new WeakHashMap<>();

    private NetlinkHandle(NetNamespace ns, NetlinkSocket sock, Duration timeout) {
        this.ns = ns;
        this.where = ns == null ? "the caller's namespace" : ns.toString();
        this.session = new Session(sock, where, "netlink handle on " + where);
        this.timeoutNanos = Require.waitNanos(timeout, "timeout");
    }

    /**
     * Opens a handle whose socket lives in {@code ns}. The namespace must stay open while the handle is used.
     *
     * @throws NetnsException when netvirt's switching thread cannot enter {@code ns} (EPERM without CAP_SYS_ADMIN)
     * @throws IllegalStateException when {@code ns} is closed
     * @throws java.util.concurrent.CancellationException when the calling thread was interrupted before
     *     the socket was created (its interrupt status is set)
     */
    public static NetlinkHandle open(NetNamespace ns) {
        return open(ns, DEFAULT_TIMEOUT);
    }

    /** As {@link #open(NetNamespace)}, with a timeout for every wait on the kernel. */
    public static NetlinkHandle open(NetNamespace ns, Duration timeout) {
        if (ns == null) {
            throw new IllegalArgumentException("namespace is null (use NetNamespace.root() for the root namespace)");
        }
        checkTimeout(timeout);
        return new NetlinkHandle(ns, NetlinkSocket.open(ns), timeout);
    }

    /**
     * Opens a handle in each of {@code namespaces}, their sockets created in one hand-off to
     * netvirt-netns's switching threads instead of one each: for tools that configure many
     * namespaces at once. All or nothing.
     */
    public static List<NetlinkHandle> open(List<NetNamespace> namespaces) {
        for (NetNamespace ns : namespaces) {
            if (ns == null) {
                throw new IllegalArgumentException("a namespace in the list is null");
            }
        }
        List<NetlinkSocket> sockets = NetlinkSocket.openAll(namespaces);
        List<NetlinkHandle> handles = new ArrayList<>(sockets.size());
        for (int i = 0; i < sockets.size(); i++) {
            handles.add(new NetlinkHandle(namespaces.get(i), sockets.get(i), DEFAULT_TIMEOUT));
        }
        return handles;
    }

    private static void checkTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    /** The namespace this handle works in. */
    public NetNamespace namespace() {
        return ns;
    }

    /** How messages name this handle's namespace: its handle's {@code toString()}, or the caller's namespace. */
    String where() {
        return where;
    }

    public Duration timeout() {
        return Duration.ofNanos(timeoutNanos);
    }

    /** Changes the timeout of later waits. */
    public void setTimeout(Duration timeout) {
        checkTimeout(timeout);
        this.timeoutNanos = Require.waitNanos(timeout, "timeout");
    }

    /** How many dumps were restarted because the kernel reported them interrupted by a change. */
    long dumpRetries() {
        return session.dumpRetries();
    }

    /** Test hook: the next request gets sequence number {@code last + 1}. */
    void startSequenceAfter(int last) {
        session.locked(e -> {
            e.startSequenceAfter(last);
            return null;
        });
    }

    /** The socket's netlink port id. */
    public int portId() {
        return session.portId();
    }

    // ------------------------------------------------------------------ plumbing

    /** Sends {@code r} now, holding {@code carried} open until its ack. */
    void submit(Request r, List<NetNamespace> carried) {
        try (NamespaceHolds held = NamespaceHolds.of(carried)) {
            execute(r);
        }
    }

    void execute(Request r) {
        Exchange.Outcome o = run(List.of(r), false);
        if (o.firstFailure >= 0) {
            throw o.errors[0];
        }
    }

    Exchange.Outcome run(List<Request> requests, boolean continueOnError) {
        return session.locked(e -> e.run(requests, continueOnError, timeoutNanos));
    }

    /** Runs a dump under the lock; {@code decode} returns null for messages to skip. */
    <T> List<T> dump(int type, Consumer<NlWriter> header, Function<NlMessage, T> decode, String what) {
        return session.locked(e -> e.dump(type, header, decode, what, timeoutNanos));
    }

    /**
     * An rtnetlink dump: the {@code RTM_GET*} request {@code get}, answered by {@code RTM_NEW*}
     * messages of type {@code answer} that {@code decode} reads; other messages are skipped.
     */
    private <T> List<T> dump(int get, int answer, Consumer<NlWriter> header, Function<NlMessage, T> decode) {
        return dump(get, answer, header, decode, 0);
    }

    /**
     * As {@link #dump(int, int, Consumer, Function)}, started again also after an event of multicast
     * group {@code watched} (0: none) during it.
     */
    private <T> List<T> dump(
            int get, int answer, Consumer<NlWriter> header, Function<NlMessage, T> decode, int watched) {
        return session.locked(e -> e.dump(
                get,
                header,
                m -> m.type() == answer ? decode.apply(m) : null,
                Nl.typeName(get) + " dump",
                watched,
                timeoutNanos));
    }

    /** Starts a batch of requests to send pipelined on this handle. */
    public NetlinkBatch batch() {
        return new NetlinkBatch(this);
    }

    // ------------------------------------------------------------------ links

    /** {@code ip link show NAME}: empty when there is no such link. */
    public Optional<Link> linkGet(String name) {
        return getLink(LinkRef.of(name));
    }

    /** The link with ifindex {@code index}, empty when there is none. */
    public Optional<Link> linkGet(int index) {
        return getLink(LinkRef.of(index));
    }

    /** The link with ifindex {@code index} of the namespace with id {@code netnsId} in this one (-1: this one). */
    Optional<Link> linkGet(int index, int netnsId) {
        return getLink(LinkRef.of(index), netnsId);
    }

    /**
     * How long DAD of an address of link {@code index} of the namespace with id {@code netnsId} in this
     * one (-1: this one) takes at most, from the link's IPv6 settings ({@link Sysctls#dadTime}, read
     * from the link's {@code IFLA_AF_SPEC}: no handle on that namespace is needed); empty when there is
     * no such link or it has no IPv6.
     */
    Optional<Duration> dadTime(int index, int netnsId) {
        LinkRef ref = LinkRef.of(index);
        return Optional.ofNullable(session.locked(e -> e.get(
                Nl.RTM_GETLINK,
                w -> LinkCodec.writeGet(w, ref, netnsId),
                LinkCodec::decodeDadTime,
                "RTM_GETLINK " + ref + (netnsId < 0 ? "" : " netnsid " + netnsId),
                Errno.ENODEV.code(),
                timeoutNanos)));
    }

    /**
     * Whether there is a link with ifindex {@code index}: {@code linkGet(index).isPresent()} in one
     * ioctl, without a netlink request.
     */
    public boolean linkExists(int index) {
        return session.locked(e -> e.hasLink(index));
    }

    /**
     * Has the kernel finish bringing the link named {@code name} up, now. A device whose carrier comes
     * on later than its {@code IFF_UP} (a veth end when its peer goes up, a bridge when a port starts
     * forwarding) is only half up until the kernel's linkwatch work has run for it, asynchronously:
     * its transmit queue keeps the {@code noop} qdisc, which drops every frame, its operational state
     * stays behind, and a bridge port stays disabled. This runs that work synchronously for this
     * device (the {@code ETHTOOL_GLINK} ioctl, as {@code ethtool DEV} does); nothing else changes.
     *
     * @return false when there is no such link or its driver reports no link state
     * @throws NetlinkException if the kernel refuses otherwise
     * @throws IllegalStateException if this handle is closed
     */
    public boolean linkSync(String name) {
        // the ioctl's ifr_name holds 15 bytes and a NUL: a longer name would name another link
        Names.checkInterface(name);
        return session.locked(e -> e.syncLink(name));
    }

    /**
     * As {@link #linkSync(String)} for the link with ifindex {@code index}, whatever its name is by now: a
     * single-link {@code RTM_GETLINK}, which runs the device's pending linkwatch work as
     * {@code ETHTOOL_GLINK} does (see {@link #linkUp}), without asking its driver for its link state. One
     * netlink request and its answer where the other is one ioctl.
     *
     * @return false when there is no such link
     * @throws NetlinkException if the kernel refuses otherwise
     * @throws IllegalStateException if this handle is closed
     */
    public boolean linkSync(int index) {
        return linkGet(index).isPresent();
    }

    /**
     * The options of the TUN/TAP device named {@code name} ({@code ip -d link show NAME}): empty
     * when there is no link of that name, or it is no TUN/TAP device.
     */
    public Optional<TunOptions> tunOptions(String name) {
        LinkRef ref = LinkRef.of(name);
        return Optional.ofNullable(session.locked(e -> e.get(
                Nl.RTM_GETLINK,
                w -> LinkCodec.writeGet(w, ref),
                LinkCodec::decodeTun,
                "RTM_GETLINK " + ref,
                Errno.ENODEV.code(),
                timeoutNanos)));
    }

    /** The link named {@code name}; ENODEV when there is none. */
    public Link link(String name) {
        return linkGet(name)
                .orElseThrow(() -> new NetlinkException(
                        "RTM_GETLINK " + name, Errno.ENODEV.code(), "no link named \"" + name + "\" in " + where, -1));
    }

    /** The ifindex of {@code name}; ENODEV when there is no such link. */
    public int linkIndex(String name) {
        return link(name).index();
    }

    /**
     * {@code ip link set dev DEV up}, and has the kernel finish it before returning, so that a frame
     * sent at once is not dropped: what {@link #linkSetUp(int)} alone does not. The up turns a
     * carrier on, for the link and, when it is a veth whose peer is up, for the peer too (wherever
     * it is), and each of them is only half up until the kernel's linkwatch work has run for it,
     * asynchronously (see {@link #linkSync}): the peer's transmit queue drops what it sends, and as a
     * bridge port the peer stays disabled. This reads the link, its peer and the bridges the two are
     * ports of, one {@code RTM_GETLINK} each: the kernel runs a device's pending linkwatch work when
     * it is asked for it alone (Linux 6.8 and later, as for {@code ETHTOOL_GLINK}), in its own
     * namespace also for a peer in another ({@code IFLA_TARGET_NETNSID}). Devices stacked on them
     * (vlan, macvlan) are not.
     *
     * @throws NetlinkException if the kernel refuses (ENODEV when there is no such link)
     * @throws IllegalStateException if this handle is closed
     */
    public void linkUp(int index) {
        linkSetUp(index);
        Link link = linkGet(index).orElse(null); // gone at once: nothing to finish
        if (link == null) {
            return;
        }
        link.master().ifPresent(m -> getLink(LinkRef.of(m), -1));
        if (link.peerIndex().isPresent()) {
            getLink(LinkRef.of(link.peerIndex().getAsInt()), link.linkNetnsId())
                    .filter(Link::isUp)
                    .flatMap(peer -> peer.master().stream().boxed().findFirst())
                    .ifPresent(m -> getLink(LinkRef.of(m), link.linkNetnsId()));
        }
    }

    private Optional<Link> getLink(LinkRef ref) {
        return getLink(ref, -1);
    }

    /** {@code ref} in the namespace with id {@code netnsId} in this one (-1: this one). */
    private Optional<Link> getLink(LinkRef ref, int netnsId) {
        return Optional.ofNullable(session.locked(e -> e.get(
                Nl.RTM_GETLINK,
                w -> LinkCodec.writeGet(w, ref, netnsId),
                LinkCodec::decode,
                netnsId < 0 ? "RTM_GETLINK " + ref : "RTM_GETLINK " + ref + " netnsid " + netnsId,
                Errno.ENODEV.code(),
                timeoutNanos)));
    }

    /** {@code ip link show}: every link of the namespace. */
    public List<Link> linkList() {
        return dump(Nl.RTM_GETLINK, Nl.RTM_NEWLINK, LinkCodec::writeDump, LinkCodec::decode);
    }

    /**
     * The links of the namespace with id {@code netnsId} in this one (-1: this one), from a dump with
     * {@code IFLA_TARGET_NETNSID}, checked strictly as {@link #addrList(int)}'s (ENOPROTOOPT before Linux 4.20).
     */
    List<Link> linkList(int netnsId) {
        if (netnsId < 0) {
            return linkList();
        }
        return strictDump(
                Nl.RTM_GETLINK, Nl.RTM_NEWLINK, w -> LinkCodec.writeDump(w, netnsId), LinkCodec::decode, netnsId);
    }

    /**
     * The ifindexes of every link of the namespace: {@link #linkList()} without decoding the links.
     *
     * @throws NetlinkException if the dump fails
     * @throws IllegalStateException if this handle is closed
     */
    public List<Integer> linkIndexes() {
        return dump(Nl.RTM_GETLINK, Nl.RTM_NEWLINK, LinkCodec::writeIndexDump, LinkCodec::index);
    }

    // ------------------------------------------------------------------ addresses

    /** {@code ip addr show}: IPv4 and IPv6 addresses of all links. */
    public List<Address> addrList() {
        return dump(Nl.RTM_GETADDR, Nl.RTM_NEWADDR, w -> AddressCodec.writeDump(w, Nl.AF_UNSPEC), AddressCodec::decode);
    }

    /**
     * The addresses of the namespace with id {@code netnsId} in this one (-1: this one), from a dump
     * with {@code IFA_TARGET_NETNSID}, which the kernel reads only in a dump checked strictly.
     */
    List<Address> addrList(int netnsId) {
        if (netnsId < 0) {
            return addrList();
        }
        return strictDump(
                Nl.RTM_GETADDR,
                Nl.RTM_NEWADDR,
                w -> AddressCodec.writeDump(w, Nl.AF_INET6, netnsId),
                AddressCodec::decode,
                netnsId);
    }

    /** A dump of the namespace with id {@code netnsId} in this one, checked strictly: the kernel reads its target only so. */
    private <T> List<T> strictDump(
            int get, int answer, Consumer<NlWriter> header, Function<NlMessage, T> decode, int netnsId) {
        return session.locked(e -> {
            e.strictCheck(true);
            try {
                return e.dump(
                        get,
                        header,
                        m -> m.type() == answer ? decode.apply(m) : null,
                        Nl.typeName(get) + " dump netnsid " + netnsId,
                        timeoutNanos);
            } finally {
                e.strictCheck(false);
            }
        });
    }

    /** The addresses of the link named {@code link}. */
    public List<Address> addrList(String link) {
        int index = linkIndex(link);
        return only(addrList(), a -> a.index() == index);
    }

    // ------------------------------------------------------------------ routes

    /**
     * {@code ip route show table all} and {@code ip -6 route show table all}: every route, once.
     *
     * <p>A dump of many routes comes in several datagrams, and the kernel does not flag an IPv6 one
     * that a change interrupted ({@code NLM_F_DUMP_INTR}, as it does for links and addresses): it walks
     * the changed table again from its start, skipping as many routes as it had sent, so that routes
     * which stayed the whole time are listed twice or left out ({@code ip -6 route} prints such lists).
     * So the handle's socket listens to the IPv6 route events while it dumps, and a dump during which
     * one came is started again, as a flagged one is. Changes the kernel announces to nobody go unseen:
     * removals at a device's down with {@code net.ipv6.route.skip_notify_on_dev_down=1}.
     *
     * @throws NetlinkException EINTR when changes interrupted the dump and each of its 10 restarts
     * @throws IllegalStateException if this handle is closed
     */
    public List<Route> routeList() {
        return dump(
                Nl.RTM_GETROUTE,
                Nl.RTM_NEWROUTE,
                w -> RouteCodec.writeDump(w, Nl.AF_UNSPEC),
                RouteCodec::decode,
                Nl.RTNLGRP_IPV6_ROUTE);
    }

    /** The routes of table {@code table} (254 main). */
    public List<Route> routeList(int table) {
        return only(routeList(), r -> r.table() == table);
    }

    // ------------------------------------------------------------------ neighbours

    /**
     * {@code ip neigh show nud all}: IPv4 and IPv6 neighbour entries in every state (a plain {@code ip
     * neigh show} leaves some states out, {@code noarp} among them), proxy entries not.
     */
    public List<Neighbor> neighList() {
        return only(neighDump(Nl.AF_UNSPEC), n -> !n.isFdb());
    }

    /** {@code bridge fdb show}: bridge forwarding database entries. */
    public List<Neighbor> fdbList() {
        return neighDump(Nl.AF_BRIDGE);
    }

    private List<Neighbor> neighDump(int family) {
        return dump(Nl.RTM_GETNEIGH, Nl.RTM_NEWNEIGH, w -> NeighborCodec.writeDump(w, family), NeighborCodec::decode);
    }

    // ------------------------------------------------------------------ traffic control

    /** {@code tc qdisc show}: the qdiscs of every device, the kernel's default ones included. */
    public List<Qdisc> qdiscList() {
        return dump(Nl.RTM_GETQDISC, Nl.RTM_NEWQDISC, QdiscCodec::writeDump, QdiscCodec::decode);
    }

    /**
     * {@code tc qdisc del}, for a qdisc that may be gone already: nothing when only the kernel's
     * default qdisc is there (ENOENT; EINVAL for an ingress qdisc once the device has had one) or the
     * device went, and its qdiscs with it (ENODEV).
     */
    public void qdiscDelIfPresent(QdiscSpec<?> spec) {
        try {
            qdiscDel(spec);
        } catch (NetlinkException e) {
            if (!e.is(Errno.ENOENT) && !e.is(Errno.EINVAL) && !e.isNoDevice()) {
                throw e;
            }
        }
    }

    /**
     * {@code tc -echo qdisc add}: as {@link #qdiscAdd}, returning the qdisc as the kernel made it, with
     * the handle it chose when the spec has none (auto handles are {@code 8001:} to {@code ffff:}, from
     * one counter the kernel shares between all devices and namespaces). The kernel sends it to this
     * socket before the ack ({@code NLM_F_ECHO}): one message more to receive, no other request.
     * {@link #qdiscDelIfSame} deletes it later only if it is still there.
     *
     * @throws NetlinkException as {@link #qdiscAdd}; EBADMSG if the kernel acknowledged the add without
     *     the echo (the qdisc is then there, unknown)
     * @throws IllegalStateException if this handle is closed
     */
    public Qdisc qdiscCreate(QdiscSpec<?> spec) {
        QdiscSpec<?> s = spec.snapshot();
        Qdisc[] made = new Qdisc[1];
        Request r = QdiscCodec.addEchoed(s, q -> {
            if (made[0] == null && q.parent() == s.parent) {
                made[0] = q;
            }
        });
        execute(r);
        if (made[0] == null) {
            throw new NetlinkException(
                    r.description(), Errno.EBADMSG.code(), "the kernel acknowledged the add without echoing it", -1);
        }
        return made[0];
    }

    /**
     * Deletes {@code q} (as {@link #qdiscCreate} returned it, or a dump read it) if it is still the
     * qdisc at its parent on its device: {@code tc qdisc del dev DEV parent P handle H KIND}, which the
     * kernel refuses with EINVAL ("Invalid handle", "Invalid qdisc name") when the qdisc there now has
     * another handle or kind, one that replaced {@code q} or the kernel's default. The handle and kind
     * are all the kernel compares: a qdisc of the same kind given the same handle since (chosen by its
     * maker, or the auto-handle counter after it wrapped) is taken for {@code q}. What is attached
     * under {@code q} (its filters, a child qdisc) goes with it.
     *
     * @return true if it was deleted; false if the qdisc at its parent is another one, or none (ENOENT),
     *     or the device is gone (ENODEV)
     * @throws IllegalArgumentException for a qdisc without a handle (the kernel's default ones)
     * @throws IllegalStateException if this handle is closed
     */
    public boolean qdiscDelIfSame(Qdisc q) {
        if (q.handle() == TcHandle.UNSPEC) {
            throw new IllegalArgumentException("the kernel's default qdisc has no handle and is never deleted: " + q);
        }
        try {
            qdiscDel(QdiscSpec.generic(q.index(), q.kind()).parent(q.parent()).handle(q.handle()));
            return true;
        } catch (NetlinkException e) {
            if (e.is(Errno.ENOENT) || e.is(Errno.EINVAL) || e.isNoDevice()) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Refuses, as the kernel refuses a second root qdisc (EEXIST, with {@code request} and the qdisc
     * found), when device {@code index} has a qdisc that {@code conflicts} accepts: for a caller about to
     * add one that the kernel would take but that could not work with it (a root qdisc and a
     * {@code clsact} whose egress redirect takes the packets before they reach it). Nothing is changed.
     */
    public void qdiscRefuseIfAny(int index, Predicate<Qdisc> conflicts, String request) {
        for (Qdisc q : qdiscList()) {
            if (q.index() == index && conflicts.test(q)) {
                throw new NetlinkException(request + ": the device has " + q, Errno.EEXIST.code());
            }
        }
    }

    /** {@code tc qdisc show dev DEV}. */
    public List<Qdisc> qdiscList(String dev) {
        int index = linkIndex(dev);
        return only(qdiscList(), q -> q.index() == index);
    }

    /** The entries of a dump that {@code keep} accepts, in dump order, as a list the caller may change. */
    private static <T> List<T> only(List<T> dump, Predicate<T> keep) {
        List<T> out = new ArrayList<>();
        for (T t : dump) {
            if (keep.test(t)) {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * {@code tc -echo filter add}: as {@link #filterAdd}, returning the filter as the kernel made it,
     * with the handle it chose (a u32 node: {@code 800::800} for the first of a new priority) and its
     * actions. Sent back before the ack ({@code NLM_F_ECHO}): one message more to receive.
     *
     * @throws NetlinkException as {@link #filterAdd}; EBADMSG if the kernel acknowledged the add without
     *     the echo (the filter is then there, unknown)
     * @throws IllegalStateException if this handle is closed
     */
    public Filter filterCreate(FilterSpec spec) {
        Filter[] made = new Filter[1];
        Request r = FilterCodec.addEchoed(spec, f -> {
            if (made[0] == null) {
                made[0] = f;
            }
        });
        execute(r);
        if (made[0] == null) {
            throw new NetlinkException(
                    r.description(), Errno.EBADMSG.code(), "the kernel acknowledged the add without echoing it", -1);
        }
        return made[0];
    }

    /**
     * Takes the u32 filter {@code ours} (as {@link #filterCreate} returned it) off its device, with
     * the qdisc {@code q} it hangs on (as {@link #qdiscCreate} returned it) when that holds nothing
     * else, on {@code ours}'s parent or on {@code alsoEmpty} (clsact's other hook): only the filter when
     * someone added filters of their own (its priority's classifier, or the filter alone by its handle
     * when theirs share the priority), nothing when {@code ours} is gone (the qdisc deleted, or replaced
     * by someone else's). For qdiscs whose handle is fixed ({@code ingress}, {@code clsact}), where the
     * filter is the proof: a qdisc deleted and added again by someone else with a filter like
     * {@code ours} (the kernel numbers a new qdisc's u32 nodes from {@code 800::800} again) is taken for
     * {@code q}, unless {@code ours}'s actions carry cookies ({@link FilterSpec#cookie}). A filter is
     * {@code ours} as {@link Filter#isSame} tells: with cookies, whatever its actions' target is now (0
     * once that device was deleted).
     *
     * @return true if {@code ours} was there and is deleted (with {@code q} or without); false when
     *     it, its qdisc or its device is gone
     * @throws NetlinkException if the kernel refuses a dump or a delete for another reason than the
     *     device, the qdisc or the filter being gone
     * @throws IllegalStateException if this handle is closed
     */
    public boolean filterDelWithQdiscIfSame(Qdisc q, Filter ours, int... alsoEmpty) {
        List<Filter> filters;
        boolean othersEmpty = true;
        try {
            filters = filterList(ours.index(), ours.parent());
            if (filters.stream().noneMatch(f -> f.isSame(ours))) {
                return false; // not ours any more
            }
            for (int parent : alsoEmpty) {
                othersEmpty &= filterList(ours.index(), parent).isEmpty();
            }
        } catch (NetlinkException e) {
            if (e.isNoDevice() || e.is(Errno.ENOENT) || e.is(Errno.EINVAL)) {
                return false; // the device or the qdisc is gone
            }
            throw e;
        }
        FilterSpec prio =
                FilterSpec.u32MatchAll(ours.index()).parent(ours.parent()).priority(ours.priority());
        if (othersEmpty && filters.stream().allMatch(f -> f.isPartOf(ours))) {
            return qdiscDelIfSame(q);
        } else if (filters.stream().filter(f -> f.priority() == ours.priority()).allMatch(f -> f.isPartOf(ours))) {
            filterDel(prio); // the priority's classifier with its table: ours alone
        } else {
            filterDel(prio.handle(ours.handle()));
        }
        return true;
    }

    /** {@code tc filter show dev DEV parent PARENT} (e.g. {@link TcHandle#INGRESS_QDISC}). */
    public List<Filter> filterList(String dev, int parent) {
        return filterList(linkIndex(dev), parent);
    }

    public List<Filter> filterList(int index, int parent) {
        LinkRef.checkIndex(index);
        return dump(
                Nl.RTM_GETTFILTER,
                Nl.RTM_NEWTFILTER,
                w -> FilterCodec.writeDump(w, index, parent),
                FilterCodec::decode);
    }

    // ------------------------------------------------------------------ events

    /**
     * Subscribes to changes in this handle's namespace. The subscription has its own socket; close it
     * when done (closing this handle closes it too). Events that happen before this call returns are
     * not delivered.
     *
     * @throws IllegalStateException if this handle is closed
     */
    public EventSubscription subscribe(EventGroup... groups) {
        session.ensureOpen();
        EventSubscription sub = EventSubscription.open(ns, where, groups);
        Map<EventSubscription, Boolean> subs = subscriptions; // not this: a kept subscription keeps no handle
        sub.whenClosed(() -> {
            synchronized (subs) {
                subs.remove(sub);
            }
        });
        synchronized (subs) {
            subs.put(sub, Boolean.TRUE);
        }
        if (session.isClosed()) { // closed meanwhile: its close may have missed this one
            sub.close();
            session.ensureOpen();
        }
        return sub;
    }

    /**
     * Waits until the link named {@code name} satisfies {@code condition} (given empty when there is
     * no such link), watching link events rather than polling; returns the final state. When the
     * kernel drops events (ENOBUFS: they came faster than they were read), it reads the link again
     * and goes on waiting. Blocks its thread in native code as
     * {@link EventSubscription#poll(long, TimeUnit)} does.
     *
     * @throws NetlinkException ETIMEDOUT when the condition does not hold within {@code timeout}
     * @throws IllegalStateException if this handle is closed
     */
    public Optional<Link> awaitLink(String name, Predicate<Optional<Link>> condition, Duration timeout) {
        Names.checkInterface(name);
        long deadline = System.nanoTime() + Require.waitNanos(timeout, "timeout");
        try (EventSubscription sub = subscribe(EventGroup.LINK)) {
            // subscribe first, then read the state: no change can fall between the two
            Optional<Link> now = linkGet(name);
            while (!condition.test(now)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new NetlinkException(
                            "wait for link " + name,
                            Errno.ETIMEDOUT.code(),
                            "condition not met within " + timeout + "; last state " + now,
                            -1);
                }
                NetlinkEvent e;
                try {
                    e = sub.poll(left, TimeUnit.NANOSECONDS);
                } catch (NetlinkException lost) {
                    if (!eventsLost(lost)) {
                        throw lost;
                    }
                    now = linkGet(name);
                    continue;
                }
                if (e == null) {
                    session.ensureOpen(); // null also when this handle's close closed the subscription
                    continue;
                }
                if (e.link() != null
                        && (name.equals(e.link().name())
                                || now.isPresent()
                                        && e.link().index() == now.get().index())) {
                    now = e.type() == NetlinkEvent.Type.DEL_LINK ? Optional.empty() : Optional.of(e.link());
                    if (now.isPresent() && !name.equals(now.get().name())) {
                        now = Optional.empty(); // renamed away
                    }
                }
            }
            return now;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetlinkException("wait for link " + name, Errno.EINTR.code(), "interrupted", -1);
        }
    }

    /** Waits until there is no link named {@code name} (e.g. after its namespace was deleted). */
    public void awaitLinkGone(String name, Duration timeout) {
        awaitLink(name, Optional::isEmpty, timeout);
    }

    /** Waits until a link named {@code name} exists, and returns it. */
    public Link awaitLinkPresent(String name, Duration timeout) {
        return awaitLink(name, Optional::isPresent, timeout).orElseThrow();
    }

    /**
     * Waits until the kernel's duplicate address detection (DAD) of the IPv6 address {@code address}
     * on the link with ifindex {@code index} is over, i.e. the address is no longer {@code tentative}
     * and can be bound; watches address events rather than polling. Returns at once for an address
     * the link does not carry, or carries without DAD ({@code nodad}, or {@code accept_dad} off).
     * When the kernel drops events (ENOBUFS), it reads the addresses again and goes on waiting.
     * Blocks its thread in native code as {@link EventSubscription#poll(long, TimeUnit)} does.
     *
     * @throws NetlinkException EADDRINUSE when DAD found the address in use on the link (the kernel
     *         marks it {@code dadfailed} and leaves it unusable); ETIMEDOUT when it is still tentative
     *         after {@code timeout}
     * @throws IllegalStateException if this handle is closed
     */
    public void awaitDad(int index, IpPrefix address, Duration timeout) {
        if (address.isIpv4()) {
            throw new IllegalArgumentException("duplicate address detection is IPv6's: " + address);
        }
        awaitDad(Set.of(index), address, "wait for DAD of " + address + " on link " + index, timeout);
    }

    /**
     * As {@link #awaitDad(int, IpPrefix, Duration)} for every IPv6 address of the links with the
     * ifindexes {@code links}, the kernel's own link-local ones included: the kernel adds those when a
     * link comes up and runs DAD for each apart, after its own random delay; where DAD is off
     * ({@code accept_dad} 0) it still marks them tentative until its DAD work has run, moments later.
     *
     * @throws NetlinkException EADDRINUSE when DAD found one of them in use on its link; ETIMEDOUT
     *         when one is still tentative after {@code timeout}
     * @throws IllegalStateException if this handle is closed
     */
    public void awaitDad(Collection<Integer> links, Duration timeout) {
        awaitDad(-1, links, timeout);
    }

    /**
     * As {@link #awaitDad(Collection, Duration)} for links of the namespace with id {@code netnsId} in
     * this one (-1: this one): a veth's other end, which {@link Link#linkNetnsId()} names.
     */
    void awaitDad(int netnsId, Collection<Integer> links, Duration timeout) {
        awaitDad(
                netnsId,
                Set.copyOf(links),
                null,
                "wait for DAD of the IPv6 addresses of links " + links + (netnsId < 0 ? "" : " of netnsid " + netnsId),
                timeout);
    }

    private void awaitDad(Set<Integer> links, IpPrefix address, String what, Duration timeout) {
        awaitDad(-1, links, address, what, timeout);
    }

    /**
     * Waits until {@code address} (null: every IPv6 address) of the links {@code links} of the namespace
     * with id {@code netnsId} in this one (-1: this one) is out of DAD.
     */
    private void awaitDad(int netnsId, Set<Integer> links, IpPrefix address, String what, Duration timeout) {
        long deadline = System.nanoTime() + Require.waitNanos(timeout, "timeout");
        if (inDad(netnsId, links, address) == null) {
            return; // nothing to wait for: no subscription
        }
        try (EventSubscription sub = subscribe(EventGroup.IPV6_ADDRESS)) {
            if (netnsId >= 0) {
                sub.listenAllNamespaces(); // before the read: an event of the same ifindex elsewhere only reads again
            }
            // subscribed, then read the state again: no change can fall between the two
            Address now = inDad(netnsId, links, address);
            while (now != null) {
                if (now.isDadFailed()) {
                    throw new NetlinkException(
                            what,
                            Errno.EADDRINUSE.code(),
                            "dadfailed: another host on the link has "
                                    + IpPrefix.format(now.prefix().address()),
                            -1);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new NetlinkException(
                            what,
                            Errno.ETIMEDOUT.code(),
                            IpPrefix.format(now.prefix().address()) + " still tentative after " + timeout,
                            -1);
                }
                NetlinkEvent e;
                try {
                    e = sub.poll(left, TimeUnit.NANOSECONDS);
                } catch (NetlinkException lost) {
                    if (!eventsLost(lost)) {
                        throw lost;
                    }
                    now = inDad(netnsId, links, address);
                    continue;
                }
                if (e == null) {
                    session.ensureOpen(); // null also when this handle's close closed the subscription
                } else if (e.address() != null && links.contains(e.address().index())) {
                    now = inDad(netnsId, links, address);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetlinkException(what, Errno.EINTR.code(), "interrupted", -1);
        }
    }

    /**
     * Whether a subscription's error means only that events were lost (ENOBUFS: its queue overflowed;
     * EBADMSG: a datagram that could not be split), after which a wait reads the state again.
     */
    private static boolean eventsLost(NetlinkException e) {
        return e.is(Errno.ENOBUFS) || e.is(Errno.EBADMSG);
    }

    /**
     * An IPv6 address of one of the links {@code links} as the kernel lists it that is {@code address}
     * (null: any) and is in DAD or failed it, a failed one first; null when there is none.
     */
    private Address inDad(int netnsId, Set<Integer> links, IpPrefix address) {
        Address tentative = null;
        List<Address> all = netnsId >= 0
                ? addrList(netnsId)
                : dump(
                        Nl.RTM_GETADDR,
                        Nl.RTM_NEWADDR,
                        w -> AddressCodec.writeDump(w, Nl.AF_INET6),
                        AddressCodec::decode);
        for (Address a : all) {
            if (links.contains(a.index())
                    && (address == null || a.prefix().address().equals(address.address()))) {
                if (a.isDadFailed()) {
                    return a;
                }
                if (a.isTentative() && tentative == null) {
                    tentative = a;
                }
            }
        }
        return tentative;
    }

    // ------------------------------------------------------------------ lifecycle

    /** Closes the socket and the subscriptions, as the class Javadoc says. */
    @Override
    protected void implClose() {
        session.close(); // first: a wait that sees its subscription closed finds the handle closed
        List<EventSubscription> open;
        synchronized (subscriptions) {
            open = new ArrayList<>(subscriptions.keySet());
        }
        for (EventSubscription sub : open) {
            sub.close();
        }
    }

    @Override
    public String toString() {
        return "NetlinkHandle[" + where + (session.isClosed() ? ", closed]" : "]");
    }
}
