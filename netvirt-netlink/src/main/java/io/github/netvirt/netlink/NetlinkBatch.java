package io.github.netvirt.netlink;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.Once;
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
public final class NetlinkBatch implements NetlinkWriter<NetlinkBatch> {
    private final NetlinkHandle handle;
    private final List<Request> requests = new ArrayList<>();
    /** Namespaces whose fds the requests carry: held open while the batch runs. */
    private final List<NetNamespace> carried = new ArrayList<>();

    private boolean continueOnError;
    private final Once execution = new Once("batch already executed");

    NetlinkBatch(NetlinkHandle handle) {
        this.handle = handle;
    }

    /** Queues {@code r}; {@code carried} are held open while the batch runs. */
    void submit(Request r, List<NetNamespace> carried) {
        execution.checkNotDone();
        requests.add(r);
        this.carried.addAll(carried);
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
            out.add(r.description());
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Sends the requests and waits for every ack.
     *
     * @throws BatchException when any request failed: which ones were applied, which failed
     * @throws IllegalStateException when executed twice, or when a namespace a request places a link
     *     in was closed before (namespaces named in requests are held open while the batch runs)
     */
    public void execute() {
        execution.done();
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
