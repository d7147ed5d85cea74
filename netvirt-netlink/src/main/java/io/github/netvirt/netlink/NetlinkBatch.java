package io.github.netvirt.netlink;

import io.github.netvirt.netns.NetNamespace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Requests sent pipelined on one handle: many per datagram, their acks collected in order, without a
 * round trip per request. Build it with the same verbs as {@link NetlinkHandle}, then {@link #execute()}.
 *
 * <pre>
 * h.batch()
 *  .linkAdd(LinkSpec.bridge("br0").up())
 *  .linkAdd(LinkSpec.veth("v0", "p0").peerNetns(other).master("br0").up())
 *  .addrAdd("br0", IpPrefix.parse("10.0.0.1/24"))
 *  .execute();
 * </pre>
 *
 * <p>Links named in a request (a master, an address's device) are looked up when the batch runs; a
 * lookup sends what is pending first, so a request may name a link created earlier in the same batch,
 * and resolves in one round trip every name the rest of the batch uses that exists by then. A name
 * always means the link that has it at that point of the batch: after a request that renames,
 * deletes, moves away or creates a link, its names are looked up again when next used. Give links
 * explicit ifindexes ({@link LinkSpec#index}) and refer to them by index to avoid lookups.
 *
 * <p>The kernel processes every request of a datagram even after one fails. By default, once a
 * datagram had a failure the rest of the batch is not sent ({@link #continueOnError} changes that).
 * {@link #execute()} throws a {@link BatchException} telling which requests were applied and which
 * failed, so the caller can undo exactly what was done. A batch is not thread-safe; executing it is
 * (it holds the handle for the duration) and it can be executed once.
 */
public final class NetlinkBatch {
    private final NetlinkHandle handle;
    private final List<Request> requests = new ArrayList<>();
    /** Namespaces whose fds the requests carry: held open while the batch runs. */
    private final List<NetNamespace> carried = new ArrayList<>();
    private boolean continueOnError;
    private boolean executed;

    NetlinkBatch(NetlinkHandle handle) {
        this.handle = handle;
    }

    private NetlinkBatch add(Request r) {
        if (executed) {
            throw new IllegalStateException("batch already executed");
        }
        requests.add(r);
        return this;
    }

    /** Send every request even after failures (each one's outcome is still reported). */
    public NetlinkBatch continueOnError(boolean on) {
        this.continueOnError = on;
        return this;
    }

    public int size() {
        return requests.size();
    }

    /** Descriptions of the queued requests, in order (e.g. {@code RTM_NEWLINK veth a/b}). */
    public List<String> descriptions() {
        List<String> out = new ArrayList<>();
        for (Request r : requests) {
            out.add(r.description);
        }
        return Collections.unmodifiableList(out);
    }

    /** {@code tc qdisc add}. */
    public NetlinkBatch qdiscAdd(QdiscSpec<?> spec) {
        return add(QdiscCodec.add(spec));
    }

    /** {@code tc qdisc replace}. */
    public NetlinkBatch qdiscReplace(QdiscSpec<?> spec) {
        return add(QdiscCodec.replace(spec));
    }

    /** {@code tc qdisc del}. */
    public NetlinkBatch qdiscDel(QdiscSpec<?> spec) {
        return add(QdiscCodec.del(spec));
    }

    /** {@code tc filter add}. */
    public NetlinkBatch filterAdd(FilterSpec spec) {
        return add(FilterCodec.add(spec));
    }

    /** {@code tc filter del}. */
    public NetlinkBatch filterDel(FilterSpec spec) {
        return add(FilterCodec.del(spec));
    }

    public NetlinkBatch linkAdd(LinkSpec<?> spec) {
        add(LinkCodec.add(spec));
        carried.addAll(spec.namespaces());
        return this;
    }

    public NetlinkBatch linkDel(String name) {
        return add(LinkCodec.del(LinkRef.of(name)));
    }

    public NetlinkBatch linkDel(int index) {
        return add(LinkCodec.del(LinkRef.of(index)));
    }

    public NetlinkBatch linkSetUp(String name) {
        return add(LinkCodec.setUp(LinkRef.of(name), true));
    }

    public NetlinkBatch linkSetUp(int index) {
        return add(LinkCodec.setUp(LinkRef.of(index), true));
    }

    public NetlinkBatch linkSetDown(String name) {
        return add(LinkCodec.setUp(LinkRef.of(name), false));
    }

    public NetlinkBatch linkSetDown(int index) {
        return add(LinkCodec.setUp(LinkRef.of(index), false));
    }

    public NetlinkBatch linkSetMtu(int index, int mtu) {
        return add(LinkCodec.setMtu(LinkRef.of(index), mtu));
    }

    public NetlinkBatch linkSetMac(int index, MacAddress mac) {
        return add(LinkCodec.setMac(LinkRef.of(index), mac));
    }

    public NetlinkBatch linkSetName(int index, String newName) {
        return add(LinkCodec.setName(LinkRef.of(index), newName));
    }

    public NetlinkBatch linkSetNoMaster(int index) {
        return add(LinkCodec.setMaster(LinkRef.of(index), null));
    }

    public NetlinkBatch linkSetNetns(int index, NetNamespace target) {
        return setNetns(LinkRef.of(index), target);
    }

    public NetlinkBatch linkSetMtu(String name, int mtu) {
        return add(LinkCodec.setMtu(LinkRef.of(name), mtu));
    }

    public NetlinkBatch linkSetMac(String name, MacAddress mac) {
        return add(LinkCodec.setMac(LinkRef.of(name), mac));
    }

    public NetlinkBatch linkSetName(String name, String newName) {
        return add(LinkCodec.setName(LinkRef.of(name), newName));
    }

    public NetlinkBatch linkSetAlias(String name, String alias) {
        return add(LinkCodec.setAlias(LinkRef.of(name), alias));
    }

    public NetlinkBatch linkSetAlias(int index, String alias) {
        return add(LinkCodec.setAlias(LinkRef.of(index), alias));
    }

    public NetlinkBatch linkSetMaster(String name, String master) {
        return add(LinkCodec.setMaster(LinkRef.of(name), LinkRef.of(master)));
    }

    public NetlinkBatch linkSetMaster(int index, int masterIndex) {
        return add(LinkCodec.setMaster(LinkRef.of(index), LinkRef.of(masterIndex)));
    }

    public NetlinkBatch linkSetNoMaster(String name) {
        return add(LinkCodec.setMaster(LinkRef.of(name), null));
    }

    public NetlinkBatch linkSetNetns(String name, NetNamespace target) {
        return setNetns(LinkRef.of(name), target);
    }

    private NetlinkBatch setNetns(LinkRef link, NetNamespace target) {
        add(LinkCodec.setNetns(link, target.fd(), target.name().orElse(target.id())));
        carried.add(target);
        return this;
    }

    public NetlinkBatch addrAdd(String link, IpPrefix prefix) {
        return addrAdd(AddressSpec.of(link, prefix));
    }

    public NetlinkBatch addrAdd(AddressSpec spec) {
        return add(AddressCodec.REQUESTS.add(spec));
    }

    public NetlinkBatch addrReplace(AddressSpec spec) {
        return add(AddressCodec.REQUESTS.replace(spec));
    }

    public NetlinkBatch addrDel(String link, IpPrefix prefix) {
        return addrDel(AddressSpec.of(link, prefix));
    }

    public NetlinkBatch addrDel(AddressSpec spec) {
        return add(AddressCodec.REQUESTS.del(spec));
    }

    public NetlinkBatch routeAdd(RouteSpec spec) {
        return add(RouteCodec.add(spec));
    }

    public NetlinkBatch routeReplace(RouteSpec spec) {
        return add(RouteCodec.replace(spec));
    }

    public NetlinkBatch routeDel(RouteSpec spec) {
        return add(RouteCodec.del(spec));
    }

    public NetlinkBatch neighAdd(NeighborSpec spec) {
        return add(NeighborCodec.REQUESTS.add(spec));
    }

    public NetlinkBatch neighReplace(NeighborSpec spec) {
        return add(NeighborCodec.REQUESTS.replace(spec));
    }

    public NetlinkBatch neighDel(NeighborSpec spec) {
        return add(NeighborCodec.REQUESTS.del(spec));
    }

    /**
     * Sends the requests and waits for every ack.
     *
     * @throws BatchException when any request failed: which ones were applied, which failed
     * @throws IllegalStateException when executed twice, or when a namespace a request places a link
     *     in was closed before (namespaces named in requests are held open while the batch runs)
     */
    public void execute() {
        if (executed) {
            throw new IllegalStateException("batch already executed");
        }
        executed = true;
        if (requests.isEmpty()) {
            return;
        }
        Exchange.Outcome o;
        try (NamespaceHolds held = NamespaceHolds.of(carried)) {
            o = handle.run(requests, continueOnError);
        }
        if (o.firstFailure >= 0) {
            throw new BatchException(o.firstFailure, descriptions(), Arrays.asList(o.errors), o.done);
        }
    }
}
