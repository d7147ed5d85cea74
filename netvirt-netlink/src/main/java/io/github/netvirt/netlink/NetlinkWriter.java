package io.github.netvirt.netlink;

import io.github.netvirt.netns.NetNamespace;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The write verbs of rtnetlink, written once for {@link NetlinkHandle} (which sends each request at
 * once and waits for its ack) and {@link NetlinkBatch} (which queues it, to be sent pipelined by
 * {@link NetlinkBatch#execute()}). Every verb returns {@code SELF}, so they chain on either.
 *
 * <p>Errors: on a handle each verb throws {@link NetlinkException} (errno, request, the kernel's
 * extended-ack message) when the kernel refuses the request; on a batch those come from
 * {@code execute()}. Invalid arguments throw {@link IllegalArgumentException} before anything is
 * sent or queued. Links are named by ifindex or by name; a name is looked up when the request is
 * sent.
 *
 * @param <SELF> the handle or the batch
 */
public sealed interface NetlinkWriter<SELF extends NetlinkWriter<SELF>> permits NetlinkHandle, NetlinkBatch {
    /**
     * Sends (handle) or queues (batch) {@code r}, holding {@code carried} (the namespaces whose fds
     * {@code r} carries) open until the kernel has answered.
     */
    @SuppressWarnings("unchecked")
    private SELF submit(Request r, List<NetNamespace> carried) {
        // an interface method cannot be package-private: the two permitted classes are told apart here
        if (this instanceof NetlinkHandle h) {
            h.submit(r, carried);
        } else {
            ((NetlinkBatch) this).submit(r, carried);
        }
        return (SELF) this;
    }

    private SELF submit(Request r) {
        return submit(r, List.of());
    }

    // ------------------------------------------------------------------ links

    /**
     * {@code ip link add}: creates the link described by {@code spec} (with NLM_F_EXCL: an existing
     * name gives EEXIST). The namespaces the spec places links in are held open until the kernel has
     * answered.
     *
     * @throws IllegalStateException if a namespace the spec names is closed
     */
    default SELF linkAdd(LinkSpec<?> spec) {
        LinkSpec<?> queued = spec.snapshot();
        return submit(LinkCodec.add(queued), queued.namespaces());
    }

    /**
     * {@code ip -echo link add}: as {@link #linkAdd(LinkSpec)}, and {@code made} gets the link as the
     * kernel made it: its ifindex, and a veth's peer's ({@link Link#peerIndex()}, in the namespace
     * {@link Link#linkNetnsId()} tells when not this one). The kernel sends it to this socket before the
     * ack ({@code NLM_F_ECHO}): one message more to receive, no other request. It echoes only a link
     * made in this handle's namespace (a veth: the end the spec names): a spec that places it
     * elsewhere gets no echo. {@code made} is not called when the add fails.
     *
     * @throws NullPointerException if {@code made} is null, naming it (nothing is sent)
     */
    default SELF linkAdd(LinkSpec<?> spec, Consumer<Link> made) {
        LinkSpec<?> queued = spec.snapshot();
        Objects.requireNonNull(made, "made");
        return submit(LinkCodec.addEchoed(queued, made), queued.namespaces());
    }

    /** {@code ip link del NAME}. ENODEV when there is no such link. */
    default SELF linkDel(String name) {
        return submit(LinkCodec.del(LinkRef.of(name)));
    }

    default SELF linkDel(int index) {
        return submit(LinkCodec.del(LinkRef.of(index)));
    }

    /**
     * {@code ip link delete group GROUP}: deletes every link of this namespace in device group
     * {@code group}, in one request the kernel carries out whole under its rtnl lock (a veth's peer
     * goes too, wherever it is; a bridge's ports stay, released). ENODEV when no link is in the group;
     * EOPNOTSUPP, and nothing deleted, when one of them cannot be deleted (a physical device).
     *
     * @throws IllegalArgumentException for group 0, the default group
     */
    default SELF linkDelGroup(int group) {
        return submit(LinkCodec.delGroup(group));
    }

    /**
     * {@code ip link set NAME up}. The kernel finishes the up asynchronously (a veth peer's carrier);
     * {@link NetlinkHandle#linkUp} waits for it.
     */
    default SELF linkSetUp(String name) {
        return submit(LinkCodec.setUp(LinkRef.of(name), true));
    }

    default SELF linkSetUp(int index) {
        return submit(LinkCodec.setUp(LinkRef.of(index), true));
    }

    /** {@code ip link set NAME down}. */
    default SELF linkSetDown(String name) {
        return submit(LinkCodec.setUp(LinkRef.of(name), false));
    }

    default SELF linkSetDown(int index) {
        return submit(LinkCodec.setUp(LinkRef.of(index), false));
    }

    /** {@code ip link set NAME mtu MTU}. */
    default SELF linkSetMtu(String name, int mtu) {
        return submit(LinkCodec.setMtu(LinkRef.of(name), mtu));
    }

    default SELF linkSetMtu(int index, int mtu) {
        return submit(LinkCodec.setMtu(LinkRef.of(index), mtu));
    }

    /** {@code ip link set NAME group GROUP}: 0 is the default group. */
    default SELF linkSetGroup(String name, int group) {
        return submit(LinkCodec.setGroup(LinkRef.of(name), group));
    }

    default SELF linkSetGroup(int index, int group) {
        return submit(LinkCodec.setGroup(LinkRef.of(index), group));
    }

    /** {@code ip link set NAME address MAC}. */
    default SELF linkSetMac(String name, MacAddress mac) {
        return submit(LinkCodec.setMac(LinkRef.of(name), mac));
    }

    default SELF linkSetMac(int index, MacAddress mac) {
        return submit(LinkCodec.setMac(LinkRef.of(index), mac));
    }

    /** {@code ip link set NAME name NEWNAME} (older kernels refuse a link that is up, EBUSY; 6.18 renames it). */
    default SELF linkSetName(String name, String newName) {
        return submit(LinkCodec.setName(LinkRef.of(name), newName));
    }

    default SELF linkSetName(int index, String newName) {
        return submit(LinkCodec.setName(LinkRef.of(index), newName));
    }

    /** {@code ip link set NAME alias TEXT}; an empty alias removes it. */
    default SELF linkSetAlias(String name, String alias) {
        return submit(LinkCodec.setAlias(LinkRef.of(name), alias));
    }

    default SELF linkSetAlias(int index, String alias) {
        return submit(LinkCodec.setAlias(LinkRef.of(index), alias));
    }

    /** {@code ip link set NAME master MASTER}. */
    default SELF linkSetMaster(String name, String master) {
        return submit(LinkCodec.setMaster(LinkRef.of(name), LinkRef.of(master)));
    }

    default SELF linkSetMaster(int index, int masterIndex) {
        return submit(LinkCodec.setMaster(LinkRef.of(index), LinkRef.of(masterIndex)));
    }

    /** {@code ip link set NAME nomaster}. */
    default SELF linkSetNoMaster(String name) {
        return submit(LinkCodec.setMaster(LinkRef.of(name), null));
    }

    default SELF linkSetNoMaster(int index) {
        return submit(LinkCodec.setMaster(LinkRef.of(index), null));
    }

    /**
     * {@code ip link set NAME netns NS}: moves the link (bridges cannot move). {@code target} is held
     * open until the kernel has answered.
     *
     * @throws IllegalStateException if {@code target} is closed
     */
    default SELF linkSetNetns(String name, NetNamespace target) {
        return setNetns(LinkRef.of(name), target);
    }

    default SELF linkSetNetns(int index, NetNamespace target) {
        return setNetns(LinkRef.of(index), target);
    }

    private SELF setNetns(LinkRef link, NetNamespace target) {
        // the fd read here stays valid: submit holds target (failing if it was closed meanwhile)
        return submit(LinkCodec.setNetns(link, target.fd(), target.name().orElse(target.id())), List.of(target));
    }

    // ------------------------------------------------------------------ addresses

    /** {@code ip addr add PREFIX dev LINK}. EEXIST when the address is there already. */
    default SELF addrAdd(String link, IpPrefix prefix) {
        return addrAdd(AddressSpec.of(link, prefix));
    }

    default SELF addrAdd(AddressSpec spec) {
        return submit(AddressCodec.REQUESTS.add(spec));
    }

    /**
     * As {@link #addrAdd(AddressSpec)}, and {@code added} runs once the kernel has acknowledged the
     * add: the address is this request's (an address that was there already answers EEXIST, and
     * {@code added} does not run). The kernel echoes no IPv6 address add, so the ack is the proof.
     *
     * @throws NullPointerException if {@code added} is null, naming it (nothing is sent)
     */
    default SELF addrAdd(AddressSpec spec, Runnable added) {
        Request r = AddressCodec.REQUESTS.add(spec);
        Objects.requireNonNull(added, "added");
        r.acked = added;
        return submit(r);
    }

    /** {@code ip addr replace}. */
    default SELF addrReplace(AddressSpec spec) {
        return submit(AddressCodec.REQUESTS.replace(spec));
    }

    /** {@code ip addr del PREFIX dev LINK}. */
    default SELF addrDel(String link, IpPrefix prefix) {
        return addrDel(AddressSpec.of(link, prefix));
    }

    default SELF addrDel(AddressSpec spec) {
        return submit(AddressCodec.REQUESTS.del(spec));
    }

    // ------------------------------------------------------------------ routes

    /** {@code ip route add ...}. EEXIST when the route is there already. */
    default SELF routeAdd(RouteSpec spec) {
        return submit(RouteCodec.add(spec));
    }

    /**
     * {@code ip -echo route add ...}: as {@link #routeAdd(RouteSpec)}, and {@code added} gets the route
     * as the kernel made it, with the output device it chose where the spec names none (a gateway's
     * route). The kernel sends it to this socket before the ack ({@code NLM_F_ECHO}): one message more
     * to receive, no other request. {@code added} is not called when the add fails.
     *
     * @throws NullPointerException if {@code added} is null, naming it (nothing is sent)
     */
    default SELF routeAdd(RouteSpec spec, Consumer<Route> added) {
        Objects.requireNonNull(added, "added");
        return submit(RouteCodec.addEchoed(spec, added));
    }

    /** {@code ip route replace ...}. */
    default SELF routeReplace(RouteSpec spec) {
        return submit(RouteCodec.replace(spec));
    }

    /** {@code ip route del ...}; ESRCH when there is no such route. */
    default SELF routeDel(RouteSpec spec) {
        return submit(RouteCodec.del(spec));
    }

    // ------------------------------------------------------------------ neighbours

    /** {@code ip neigh add IP lladdr MAC dev LINK nud permanent}, or {@code bridge fdb add}. */
    default SELF neighAdd(NeighborSpec spec) {
        return submit(NeighborCodec.REQUESTS.add(spec.withMac()));
    }

    /** {@code ip neigh replace} / {@code bridge fdb replace}. */
    default SELF neighReplace(NeighborSpec spec) {
        return submit(NeighborCodec.REQUESTS.replace(spec.withMac()));
    }

    /** {@code ip neigh del} / {@code bridge fdb del}. */
    default SELF neighDel(NeighborSpec spec) {
        return submit(NeighborCodec.REQUESTS.del(spec));
    }

    // ------------------------------------------------------------------ traffic control

    /** {@code tc qdisc add}: EEXIST when the parent has a qdisc of its own already. */
    default SELF qdiscAdd(QdiscSpec<?> spec) {
        return submit(QdiscCodec.add(spec.snapshot()));
    }

    /** {@code tc qdisc replace}: creates the qdisc, or replaces the one at the same parent. */
    default SELF qdiscReplace(QdiscSpec<?> spec) {
        return submit(QdiscCodec.replace(spec.snapshot()));
    }

    /**
     * {@code tc qdisc del}: removes the qdisc at the spec's parent (and handle, when set), with its
     * filters. ENOENT when only the kernel's default qdisc is there; for an ingress qdisc that is not
     * there ENOENT, or EINVAL ("Invalid handle") once the device has had one.
     */
    default SELF qdiscDel(QdiscSpec<?> spec) {
        return submit(QdiscCodec.del(spec.snapshot()));
    }

    /** {@code tc filter add}: EEXIST when an equal filter is there; ENODEV when a named device is missing. */
    default SELF filterAdd(FilterSpec spec) {
        return submit(FilterCodec.add(spec));
    }

    /** {@code tc filter del}: removes the filters the spec names (device, parent, priority, protocol). */
    default SELF filterDel(FilterSpec spec) {
        return submit(FilterCodec.del(spec));
    }
}
