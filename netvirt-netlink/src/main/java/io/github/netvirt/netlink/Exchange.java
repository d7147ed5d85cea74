package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.MalformedMessageException;
import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netlink.codec.NlAttrs;
import io.github.netvirt.netlink.codec.NlMessage;
import io.github.netvirt.netlink.codec.NlReader;
import io.github.netvirt.netlink.codec.NlWriter;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.sys.Errno;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ObjIntConsumer;
import java.util.function.Supplier;

/**
 * The request/reply engine of one handle: encodes requests into one reused buffer, sends many in one
 * datagram and collects their acks in order, runs dumps (retrying on {@code NLM_F_DUMP_INTR}) and
 * single gets. Every wait has a deadline. The caller holds the handle's lock.
 */
final class Exchange {
    /** Requests per datagram: their acks must fit the receive buffer together. */
    static final int CHUNK_REQUESTS = 256;

    static final int CHUNK_BYTES = 512 * 1024;
    static final int DUMP_RETRIES = 10;
    /** The size of the buffer a handle encodes its requests in. */
    static final int REQUEST_BUFFER = 16 * 1024;

    private final NetlinkSocket sock;
    private final NlWriter w = new NlWriter(BufferPool.REQUESTS.take());
    /** For {@link #sendable}: made on first use (most handles never validate a request apart). */
    private NlWriter scratch;

    private final String where;
    private final Sequence seq = new Sequence((int) (System.nanoTime() & 0x3fffffff));
    private boolean released;
    /**
     * The sequence number of a dump that stopped before its NLMSG_DONE (timeout, a reply that did not
     * decode), or 0. The kernel keeps such a dump running and refuses the socket's next dump with
     * EBUSY until the rest has been read, so it is drained before anything else is sent.
     */
    private int unfinishedDump;
    /** Dumps restarted because the kernel flagged them NLM_F_DUMP_INTR (for tests and diagnostics). */
    volatile long dumpRetries;

    Exchange(NetlinkSocket sock, String where) {
        this.sock = sock;
        this.where = where;
    }

    /**
     * Has the kernel check the dump requests sent from now on strictly ({@code NETLINK_GET_STRICT_CHK}),
     * or no longer: it reads a dump's filters ({@code IFA_TARGET_NETNSID}) only then. A dump under way
     * keeps the check it began with.
     */
    void strictCheck(boolean on) {
        sock.setOption(Nl.NETLINK_GET_STRICT_CHK, on, "NETLINK_GET_STRICT_CHK");
    }

    int portId() {
        return sock.portId();
    }

    boolean hasLink(int index) {
        return sock.hasLink(index);
    }

    boolean syncLink(String name) {
        return sock.syncLink(name);
    }

    /**
     * Gives the request buffer back to the pool, once; the exchange must not be used afterwards. The
     * caller holds the handle's lock.
     */
    void release() {
        if (!released) {
            released = true;
            w.reset(); // nothing to copy into the buffer on the way back
            BufferPool.REQUESTS.give(w.buffer());
        }
    }

    /** Test hook: the next request gets sequence number {@code last + 1}. */
    void startSequenceAfter(int last) {
        seq.startAfter(last);
    }

    private int nextSeq() {
        return seq.next();
    }

    // ------------------------------------------------------------------ batches

    /** Outcome of {@link #run}: per request, its error (null when done or not sent) and whether it was applied. */
    static final class Outcome {
        final NetlinkException[] errors;
        final boolean[] done;
        int firstFailure = -1;
        /** Set when the exchange itself failed (timeout, ENOBUFS, closed): later requests were not sent. */
        NetlinkException broken;

        Outcome(int n) {
            errors = new NetlinkException[n];
            done = new boolean[n];
        }

        void fail(int i, NetlinkException e) {
            if (errors[i] == null) {
                errors[i] = e;
            }
            if (firstFailure < 0 || i < firstFailure) {
                firstFailure = i;
            }
        }
    }

    /**
     * Sends {@code requests} pipelined: up to {@link #CHUNK_REQUESTS} messages per datagram, acks
     * collected in order. Names are resolved to ifindexes first (flushing what is pending, since a
     * lookup is a round trip); a lookup holds until a request of the batch renames, deletes, moves or
     * creates that link ({@link LinkNames}). After a datagram with a failure, later ones are not sent unless
     * {@code continueOnError}. A request's follow-ups ride in the same datagram; its foreign follow-up
     * (another namespace) is sent at the end through a short-lived handle there.
     */
    Outcome run(List<Request> requests, boolean continueOnError, long timeoutNanos) {
        int n = requests.size();
        int validatedFrom = n; // requests[validatedFrom..] are known to encode: see sendable()
        Outcome out = new Outcome(n);
        LinkNames names = new LinkNames();
        Chunk chunk = new Chunk(Math.min(CHUNK_REQUESTS, 2 * n));
        w.reset();
        for (int i = 0; i < n; i++) {
            if (out.broken != null || out.firstFailure >= 0 && !continueOnError && chunk.count == 0) {
                break;
            }
            Request r = requests.get(i);
            NetlinkException lookupError = null;
            for (LinkRef ref : r.refs) {
                if (ref.name != null && !names.has(ref.name)) {
                    if (chunk.count > 0) {
                        validatedFrom = sendable(requests, i, validatedFrom);
                        flush(requests, chunk, out, timeoutNanos);
                        if (out.broken != null || out.firstFailure >= 0 && !continueOnError) {
                            return finish(requests, out, timeoutNanos);
                        }
                    }
                    try {
                        resolve(requests, i, names, timeoutNanos);
                        if (!names.has(ref.name)) {
                            throw new NetlinkException(
                                    "RTM_GETLINK " + ref.name,
                                    Errno.ENODEV.code(),
                                    "no link named \"" + ref.name + "\" in " + where,
                                    -1);
                        }
                    } catch (NetlinkException e) {
                        lookupError = new NetlinkException(
                                r.description() + " (looking up link " + ref.name + ")",
                                e.errno(),
                                e.kernelMessage(),
                                -1);
                        break;
                    }
                }
            }
            if (lookupError != null) {
                out.fail(i, lookupError);
                continue;
            }
            if (chunk.count + 1 + r.followUps.size() > chunk.capacity()) {
                validatedFrom = sendable(requests, i, validatedFrom);
                flush(requests, chunk, out, timeoutNanos);
                if (out.broken != null) {
                    return finish(requests, out, timeoutNanos);
                }
            }
            encode(r, chunk, i, true, names);
            for (Request f : r.followUps) {
                encode(f, chunk, i, false, names);
            }
            names.forget(r.changesNames); // later requests naming these links look them up again
            if (chunk.count >= CHUNK_REQUESTS || w.position() >= CHUNK_BYTES) {
                validatedFrom = sendable(requests, i + 1, validatedFrom);
                flush(requests, chunk, out, timeoutNanos);
                if (out.broken != null) {
                    return finish(requests, out, timeoutNanos);
                }
            }
        }
        if (chunk.count > 0) {
            flush(requests, chunk, out, timeoutNanos);
        }
        return finish(requests, out, timeoutNanos);
    }

    /** The messages of one datagram: for each, the request it belongs to and whether it is the primary one. */
    private static final class Chunk {
        final int[] request;
        final boolean[] primary;
        final Request[] req;
        final int[] offset;
        int count;
        int firstSeq;

        Chunk(int capacity) {
            int c = Math.max(2, capacity);
            request = new int[c];
            primary = new boolean[c];
            req = new Request[c];
            offset = new int[c];
        }

        int capacity() {
            return request.length;
        }
    }

    private void encode(Request r, Chunk chunk, int index, boolean primary, Resolver resolver) {
        int mark = w.position();
        if (chunk.count == 0) {
            seq.reserve(chunk.capacity()); // acks are matched by seq - firstSeq: no wrap inside a chunk
        }
        int s = nextSeq();
        int m;
        try {
            m = w.begin(r.type, r.flags | Nl.NLM_F_REQUEST | Nl.NLM_F_ACK, s, 0);
            r.body.write(w, resolver);
            w.end(m);
        } catch (RuntimeException e) {
            w.truncate(mark);
            seq.unget();
            throw e;
        }
        if (chunk.count == 0) {
            chunk.firstSeq = s;
        }
        chunk.request[chunk.count] = index;
        chunk.primary[chunk.count] = primary;
        chunk.req[chunk.count] = r;
        chunk.offset[chunk.count] = m;
        chunk.count++;
    }

    /** Sends the follow-ups that belong in other namespaces, for the requests that were applied. */
    private Outcome finish(List<Request> requests, Outcome out, long timeoutNanos) {
        Map<NetNamespace, List<Integer>> byNs = new LinkedHashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i).foreignFollowUp != null && out.done[i] && out.errors[i] == null) {
                byNs.computeIfAbsent(requests.get(i).foreignNs, k -> new ArrayList<>())
                        .add(i);
            }
        }
        for (Map.Entry<NetNamespace, List<Integer>> e : byNs.entrySet()) {
            List<Request> ups = new ArrayList<>();
            for (int i : e.getValue()) {
                ups.add(requests.get(i).foreignFollowUp);
            }
            Outcome sub;
            try (NetlinkHandle h = NetlinkHandle.open(e.getKey(), Duration.ofNanos(timeoutNanos))) {
                sub = h.run(ups, true);
            } catch (NetlinkException | IllegalStateException ex) {
                NetlinkException ne = ex instanceof NetlinkException n
                        ? n
                        : new NetlinkException(
                                "open a socket in " + e.getKey(), Errno.EBADF.code(), ex.getMessage(), -1);
                for (int i : e.getValue()) {
                    out.fail(i, ne);
                }
                continue;
            }
            for (int k = 0; k < ups.size(); k++) {
                if (sub.errors[k] != null) {
                    out.fail(e.getValue().get(k), sub.errors[k]);
                }
            }
        }
        return out;
    }

    /** Sends the encoded messages and collects one ack per message, in order. */
    private void flush(List<Request> requests, Chunk chunk, Outcome out, long timeoutNanos) {
        int count = chunk.count;
        chunk.count = 0;
        Request first = chunk.req[0];
        Supplier<String> what =
                () -> count == 1 ? first.description() : count + " pipelined requests from " + first.description();
        try {
            if (sock.isWakeRequested()) {
                throw new NetlinkException(what.get(), Errno.EBADF.code(), "the handle is being closed", -1);
            }
            finishDump(System.nanoTime() + timeoutNanos, what);
            sock.send(w.buffer(), w.position(), what);
        } catch (NetlinkException e) {
            for (int k = 0; k < count; k++) {
                out.fail(
                        chunk.request[k],
                        new NetlinkException(chunk.req[k].description(), e.errno(), "not sent: " + e.getMessage(), -1));
            }
            w.reset();
            out.broken = e;
            return;
        }
        try {
            collect(chunk, count, what, out, timeoutNanos);
        } finally {
            w.reset();
        }
    }

    private void collect(Chunk chunk, int count, Supplier<String> what, Outcome out, long timeoutNanos) {
        boolean[] acked = new boolean[count];
        int received = 0;
        long deadline = System.nanoTime() + timeoutNanos;
        while (received < count) {
            try {
                NlReader rd = new NlReader(sock.receiveBuffer(), 0, receive(deadline, what));
                while (rd.hasNext()) {
                    NlMessage m = next(rd, what);
                    int k = m.seq() - chunk.firstSeq;
                    if (k < 0 || k >= count || acked[k] || !fromKernelToUs(m)) {
                        continue; // a stale reply of an earlier timed-out exchange
                    }
                    if (m.type() != Nl.NLMSG_ERROR) {
                        if (chunk.req[k].echo != null) {
                            chunk.req[k].echo.accept(m); // NLM_F_ECHO: queued before the ack
                        }
                        continue;
                    }
                    acked[k] = true;
                    received++;
                    int i = chunk.request[k];
                    NetlinkException e = ackError(m, chunk.req[k]::description);
                    if (e != null && e.attributeOffset() >= Nl.NLMSG_HDRLEN) {
                        e = e.withAttributeType(attributeTypeAt(w, chunk.offset[k], e.attributeOffset()));
                    }
                    if (e != null) {
                        out.fail(i, e);
                    } else {
                        if (chunk.req[k].acked != null) {
                            chunk.req[k].acked.run();
                        }
                        if (chunk.primary[k]) {
                            out.done[i] = true;
                        }
                    }
                }
            } catch (NetlinkException e) {
                // unacknowledged requests: their fate is unknown; report them as failed with the cause
                for (int k = 0; k < count; k++) {
                    if (!acked[k]) {
                        out.fail(
                                chunk.request[k],
                                new NetlinkException(
                                        chunk.req[k].description(),
                                        e.errno(),
                                        "no acknowledgement (" + e.kernelMessage()
                                                + "); the request may or may not have " + "been applied",
                                        -1));
                    }
                }
                out.broken = e;
                return;
            }
        }
    }

    /** The next message of a datagram; a framing error is reported like every other failure. */
    private static NlMessage next(NlReader rd, Supplier<String> what) {
        try {
            return rd.next();
        } catch (MalformedMessageException e) {
            throw malformed(what, e);
        }
    }

    static NetlinkException malformed(Supplier<String> what, RuntimeException e) {
        return new NetlinkException(what.get(), Errno.EBADMSG.code(), "malformed reply: " + e.getMessage(), e);
    }

    private boolean fromKernelToUs(NlMessage m) {
        return m.pid() == sock.portId() || m.pid() == 0;
    }

    private int receive(long deadline, Supplier<String> what) {
        int len = sock.receive(deadline, what);
        if (len < 0) {
            throw new NetlinkException(what.get(), Errno.EBADF.code(), "the handle was closed", -1);
        }
        return len;
    }

    /** The type of the attribute at {@code offset} in the request {@code w} encoded at {@code start}, or -1. */
    static int attributeTypeAt(NlWriter w, int start, int offset) {
        int len = w.intAt(start);
        if (offset < 0 || offset > len - Nl.NLA_HDRLEN) { // the kernel's offset may be anything: no overflow
            return -1;
        }
        return w.u16At(start + offset + 2) & Nl.NLA_TYPE_MASK;
    }

    /**
     * Parses an NLMSG_ERROR message: null for a success ack, the exception otherwise. A malformed one
     * gives a NetlinkException too: with the kernel's errno when that much could be read (the
     * extended ack is then left out), EBADMSG otherwise.
     */
    static NetlinkException ackError(NlMessage m, Supplier<String> request) {
        if (m.payloadLength() < 4) {
            return malformed(
                    request,
                    new MalformedMessageException(
                            "NLMSG_ERROR of " + m.payloadLength() + " payload bytes has no errno"));
        }
        ByteBuffer b = m.buffer();
        int p = m.payloadOffset();
        int error = b.getInt(p);
        if (error == 0) {
            return null;
        }
        String text = null;
        int offset = -1;
        try {
            if ((m.flags() & Nl.NLM_F_ACK_TLVS) != 0 && m.payloadLength() >= Nl.NLMSGERR_LEN) {
                int tlvs;
                if ((m.flags() & Nl.NLM_F_CAPPED) != 0) {
                    tlvs = p + Nl.NLMSGERR_LEN;
                } else {
                    int origLen = b.getInt(p + 4);
                    if (origLen < Nl.NLMSG_HDRLEN || origLen > m.payloadLength() - 4) {
                        throw new MalformedMessageException("NLMSG_ERROR echoes a request of " + origLen + " bytes");
                    }
                    tlvs = p + 4 + Nl.align(origLen);
                }
                if (tlvs < m.end()) {
                    NlAttrs a = NlAttrs.parse(b, tlvs, m.end());
                    text = a.string(Nl.NLMSGERR_ATTR_MSG, null);
                    if (a.has(Nl.NLMSGERR_ATTR_OFFS)) {
                        offset = a.u32(Nl.NLMSGERR_ATTR_OFFS);
                    }
                }
            }
        } catch (MalformedMessageException e) {
            NetlinkException ne =
                    new NetlinkException(request.get(), -error, "(malformed extended ack: " + e.getMessage() + ")", -1);
            ne.initCause(e);
            return ne;
        }
        return new NetlinkException(request.get(), -error, text, offset);
    }

    // ------------------------------------------------------------------ gets and dumps

    /**
     * Sends one request without ACK and returns the decoded reply, or null when the kernel answered
     * with {@code error}-valued NLMSG_ERROR equal to {@code absentErrno} (e.g. ENODEV for a missing link).
     */
    <T> T get(
            int type,
            Consumer<NlWriter> body,
            Function<NlMessage, T> decode,
            String request,
            int absentErrno,
            long timeoutNanos) {
        Supplier<String> what = () -> request;
        long deadline = System.nanoTime() + timeoutNanos;
        finishDump(deadline, what);
        w.reset();
        int s = nextSeq();
        int m = w.begin(type, Nl.NLM_F_REQUEST, s, 0);
        body.accept(w);
        w.end(m);
        sock.send(w.buffer(), w.position(), what);
        w.reset();
        while (true) {
            NlReader rd = new NlReader(sock.receiveBuffer(), 0, receive(deadline, what));
            while (rd.hasNext()) {
                NlMessage msg = next(rd, what);
                if (msg.seq() != s || !fromKernelToUs(msg)) {
                    continue;
                }
                if (msg.type() == Nl.NLMSG_ERROR) {
                    NetlinkException e = ackError(msg, what);
                    if (e == null) {
                        continue;
                    }
                    if (e.errno() == absentErrno) {
                        return null;
                    }
                    throw e;
                }
                return decodeSafely(decode, msg, what);
            }
        }
    }

    /** Runs a dump, retrying from scratch when the kernel flags it as interrupted by a change. */
    <T> List<T> dump(
            int type, Consumer<NlWriter> header, Function<NlMessage, T> decode, String request, long timeoutNanos) {
        return dump(type, header, decode, request, 0, timeoutNanos);
    }

    /**
     * As {@link #dump(int, Consumer, Function, String, long)}, also retrying when multicast group
     * {@code watched} (0: none) reported a change while the dump ran: for the dumps the kernel restarts
     * without flagging them (IPv6 routes: {@link NetlinkHandle#routeList()}).
     */
    <T> List<T> dump(
            int type,
            Consumer<NlWriter> header,
            Function<NlMessage, T> decode,
            String request,
            int watched,
            long timeoutNanos) {
        Supplier<String> what = () -> request;
        for (int attempt = 0; ; attempt++) {
            List<T> out = new ArrayList<>();
            boolean interrupted = watched == 0
                    ? dumpOnce(type, header, decode, what, timeoutNanos, false, out)
                    : watchedDumpOnce(type, header, decode, what, timeoutNanos, watched, out);
            if (!interrupted) {
                return out;
            }
            dumpRetries++;
            if (attempt >= DUMP_RETRIES) {
                throw new NetlinkException(
                        request,
                        Errno.EINTR.code(),
                        "dump interrupted by concurrent changes " + (attempt + 1) + " times ("
                                + (watched == 0 ? "NLM_F_DUMP_INTR" : "NLM_F_DUMP_INTR, or change events during it")
                                + ")",
                        -1);
            }
        }
    }

    /**
     * One dump with the socket in multicast group {@code group} meanwhile: true when the kernel flagged
     * it, or a message of the group (or anything else not of the dump) came between the join and the
     * leave, or the kernel dropped some. The leave is synchronous, and what was queued before it is
     * read here: no event is left for a later request.
     */
    private <T> boolean watchedDumpOnce(
            int type,
            Consumer<NlWriter> header,
            Function<NlMessage, T> decode,
            Supplier<String> what,
            long timeoutNanos,
            int group,
            List<T> out) {
        finishDump(System.nanoTime() + timeoutNanos, what); // the rest of an earlier dump is no event
        sock.addMembership(group);
        boolean changed;
        try {
            changed = dumpOnce(type, header, decode, what, timeoutNanos, true, out);
        } catch (RuntimeException e) {
            try {
                stopWatching(group, what);
            } catch (RuntimeException s) {
                e.addSuppressed(s);
            }
            throw e;
        }
        return stopWatching(group, what) || changed;
    }

    /**
     * Leaves {@code group} and reads what is queued, without waiting: true when any of it was an event
     * (anything but the end of a dump that stopped) or the kernel had dropped some.
     */
    private boolean stopWatching(int group, Supplier<String> what) {
        sock.dropMembership(group);
        boolean any = false;
        while (!sock.isWakeRequested()) {
            int len;
            try {
                len = sock.receiveQueued(what);
            } catch (NetlinkException e) {
                if (!e.is(Errno.ENOBUFS)) {
                    throw e;
                }
                any = true; // events were dropped: a change at least
                continue;
            }
            if (len < 0) {
                break;
            }
            if (unfinishedDump != 0 && endsDump(new NlReader(sock.receiveBuffer(), 0, len), unfinishedDump)) {
                unfinishedDump = 0;
            } else {
                any = true;
            }
        }
        return any;
    }

    private <T> boolean dumpOnce(
            int type,
            Consumer<NlWriter> header,
            Function<NlMessage, T> decode,
            Supplier<String> what,
            long timeoutNanos,
            boolean watching,
            List<T> out) {
        long deadline = System.nanoTime() + timeoutNanos;
        finishDump(deadline, what);
        w.reset();
        int s = nextSeq();
        int m = w.begin(type, Nl.NLM_F_REQUEST | Nl.NLM_F_DUMP, s, 0);
        header.accept(w);
        w.end(m);
        sock.send(w.buffer(), w.position(), what);
        w.reset();
        unfinishedDump = s; // until its NLMSG_DONE or NLMSG_ERROR is read
        boolean interrupted = false;
        // the datagrams are kept and decoded once the dump is over, not as they come: the kernel flags a dump
        // that a change spans (an nftables commit), and decoding 3000 rules as they came made it last 11 ms,
        // not 6; beside an nft loop 0.6 of its attempts were flagged, 0.35 since (DumpRetryBesideABusyNftTest)
        List<ByteBuffer> parts = new ArrayList<>();
        while (true) {
            int len;
            try {
                len = receive(deadline, what);
            } catch (NetlinkException e) {
                if (!watching || !e.is(Errno.ENOBUFS)) {
                    throw e;
                }
                interrupted = true; // events were dropped: a change at least; the dump goes on
                continue;
            }
            NlReader rd = new NlReader(sock.receiveBuffer(), 0, len);
            boolean replies = false;
            try {
                while (rd.hasNext()) {
                    NlMessage msg = next(rd, what);
                    if (msg.seq() != s || !fromKernelToUs(msg)) {
                        interrupted |= watching; // an event of the watched group
                        continue;
                    }
                    if ((msg.flags() & Nl.NLM_F_DUMP_INTR) != 0) {
                        interrupted = true;
                    }
                    if (msg.type() == Nl.NLMSG_DONE) {
                        unfinishedDump = 0;
                        if (msg.payloadLength() >= 4 && msg.buffer().getInt(msg.payloadOffset()) < 0) {
                            throw doneError(msg, what);
                        }
                        if (!interrupted) {
                            if (replies) {
                                parts.add(copy(len));
                            }
                            decodeAll(parts, s, decode, what, out);
                        }
                        return interrupted;
                    }
                    if (msg.type() == Nl.NLMSG_ERROR) {
                        NetlinkException e = ackError(msg, what);
                        if (e != null) {
                            unfinishedDump = 0; // the kernel refused the dump: none is running
                            throw e;
                        }
                        continue;
                    }
                    replies = true;
                }
            } catch (RuntimeException e) {
                if (unfinishedDump != 0 && endsDump(rd, s)) { // its end may be in the rest of this datagram
                    unfinishedDump = 0;
                }
                throw e;
            }
            if (replies && !interrupted) {
                parts.add(copy(len));
            }
        }
    }

    /** The first {@code len} bytes of the receive buffer, copied. */
    private ByteBuffer copy(int len) {
        ByteBuffer b = ByteBuffer.allocate(len).order(sock.receiveBuffer().order());
        b.put(0, sock.receiveBuffer(), 0, len);
        return b;
    }

    /** Decodes the replies of dump {@code s} in {@code parts}, its datagrams as read, into {@code out}. */
    private <T> void decodeAll(
            List<ByteBuffer> parts, int s, Function<NlMessage, T> decode, Supplier<String> what, List<T> out) {
        for (ByteBuffer part : parts) {
            NlReader rd = new NlReader(part, 0, part.capacity());
            while (rd.hasNext()) {
                NlMessage msg = next(rd, what);
                if (msg.seq() != s
                        || !fromKernelToUs(msg)
                        || msg.type() == Nl.NLMSG_DONE
                        || msg.type() == Nl.NLMSG_ERROR) {
                    continue;
                }
                T v = decodeSafely(decode, msg, what);
                if (v != null) {
                    out.add(v);
                }
            }
        }
    }

    /**
     * Reads and drops the rest of a dump that stopped before its end ({@link #unfinishedDump}), so
     * that the next dump is not refused with EBUSY.
     *
     * @throws NetlinkException when its end does not come before {@code deadline}
     */
    private void finishDump(long deadline, Supplier<String> what) {
        while (unfinishedDump != 0) {
            int len = receive(deadline, () -> what.get() + " (reading the rest of an earlier dump that stopped)");
            if (endsDump(new NlReader(sock.receiveBuffer(), 0, len), unfinishedDump)) {
                unfinishedDump = 0;
            }
        }
    }

    /** Whether the rest of a datagram holds the end (NLMSG_DONE or NLMSG_ERROR) of dump {@code s}. */
    private boolean endsDump(NlReader rd, int s) {
        try {
            while (rd.hasNext()) {
                NlMessage m = rd.next();
                if (m.seq() == s && fromKernelToUs(m) && (m.type() == Nl.NLMSG_DONE || m.type() == Nl.NLMSG_ERROR)) {
                    return true;
                }
            }
        } catch (MalformedMessageException e) {
            // the rest of this datagram cannot be split into messages
        }
        return false;
    }

    private static NetlinkException doneError(NlMessage msg, Supplier<String> what) {
        int error = msg.buffer().getInt(msg.payloadOffset());
        String text = null;
        if ((msg.flags() & Nl.NLM_F_ACK_TLVS) != 0 && msg.payloadLength() > 4) {
            try {
                NlAttrs a = NlAttrs.parse(msg.buffer(), msg.payloadOffset() + 4, msg.end());
                text = a.string(Nl.NLMSGERR_ATTR_MSG, null);
            } catch (MalformedMessageException e) {
                text = "(malformed extended ack: " + e.getMessage() + ")";
            }
        }
        return new NetlinkException(what.get(), -error, text, -1);
    }

    static <T> T decodeSafely(Function<NlMessage, T> decode, NlMessage msg, Supplier<String> what) {
        try {
            return decode.apply(msg);
        } catch (MalformedMessageException | IllegalArgumentException e) {
            throw new NetlinkException(
                    what.get(), Errno.EBADMSG.code(), "malformed reply " + msg + ": " + e.getMessage(), e);
        }
    }

    /**
     * Before a datagram goes out while requests {@code [from..]} are not encoded yet: encodes those
     * (unless done already) into a scratch buffer with placeholder ifindexes, so that a request that
     * cannot be encoded fails before anything of its batch is sent. A batch sent in one datagram is
     * encoded whole before it goes, and so is never encoded twice. Returns the new validated start.
     */
    private int sendable(List<Request> requests, int from, int validatedFrom) {
        if (from < validatedFrom) {
            validate(requests.subList(from, validatedFrom));
        }
        return Math.min(from, validatedFrom);
    }

    /** Encodes {@code requests} and their follow-ups into a scratch buffer with placeholder ifindexes; throws what encoding throws. */
    private void validate(List<Request> requests) {
        for (Request r : requests) {
            validate(r);
            r.followUps.forEach(this::validate);
        }
    }

    private void validate(Request r) {
        if (scratch == null) {
            scratch = new NlWriter(ByteBuffer.allocate(4096));
        }
        scratch.reset();
        int m = scratch.begin(r.type, r.flags, 0, 0);
        r.body.write(scratch, name -> 1);
        scratch.end(m);
    }

    static final int RESOLVE_AT_ONCE = 64;

    /**
     * Looks up, in one datagram of pipelined RTM_GETLINKs, the names that {@code requests[from..]}
     * refer to and {@code names} lacks (up to {@link #RESOLVE_AT_ONCE}). Names that do not exist
     * (yet: an earlier request may create them) are left out.
     */
    private void resolve(List<Request> requests, int from, LinkNames names, long timeoutNanos) {
        LinkedHashSet<String> wanted = new LinkedHashSet<>();
        for (int j = from; j < requests.size() && wanted.size() < RESOLVE_AT_ONCE; j++) {
            for (LinkRef ref : requests.get(j).refs) {
                if (ref.name != null && !names.has(ref.name)) {
                    wanted.add(ref.name);
                }
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        String[] byOffset = wanted.toArray(new String[0]);
        w.reset();
        seq.reserve(byOffset.length);
        int first = 0;
        for (int k = 0; k < byOffset.length; k++) {
            int s = nextSeq();
            if (k == 0) {
                first = s;
            }
            int m = w.begin(Nl.RTM_GETLINK, Nl.NLM_F_REQUEST, s, 0);
            w.ifinfomsg(Nl.AF_PACKET, 0, 0, 0, 0);
            w.string(Nl.IFLA_IFNAME, byOffset[k]);
            w.u32(Nl.IFLA_EXT_MASK, LinkCodec.INDEX_ONLY);
            w.end(m);
        }
        Supplier<String> what = () -> "RTM_GETLINK " + String.join(",", byOffset);
        long deadline = System.nanoTime() + timeoutNanos;
        try {
            finishDump(deadline, what);
            sock.send(w.buffer(), w.position(), what);
        } finally {
            w.reset();
        }
        boolean[] answered = new boolean[byOffset.length];
        int left = byOffset.length;
        while (left > 0) {
            NlReader rd = new NlReader(sock.receiveBuffer(), 0, receive(deadline, what));
            while (rd.hasNext()) {
                NlMessage m = next(rd, what);
                int k = m.seq() - first;
                if (k < 0 || k >= byOffset.length || answered[k] || !fromKernelToUs(m)) {
                    continue;
                }
                if (m.type() == Nl.NLMSG_ERROR) {
                    int asked = k;
                    NetlinkException e = ackError(m, () -> "RTM_GETLINK " + byOffset[asked]);
                    if (e != null && !e.isNoDevice()) {
                        throw e;
                    }
                } else if (m.type() == Nl.RTM_NEWLINK) {
                    if (m.payloadLength() < Nl.IFINFOMSG_LEN) {
                        throw malformed(what, new MalformedMessageException("RTM_NEWLINK without its ifinfomsg"));
                    }
                    names.put(byOffset[k], m.buffer().getInt(m.payloadOffset() + 4));
                } else {
                    continue;
                }
                answered[k] = true;
                left--;
            }
        }
    }

    // ------------------------------------------------------------------ one-datagram transactions

    /**
     * Sends {@code requests} in one datagram, with their flags as given (an nfnetlink batch must
     * arrive whole: its begin and end messages frame it), and returns each request's error or null.
     * An ack is awaited for every request flagged {@code NLM_F_ACK}; an error for an unflagged one
     * (nfnetlink reports a failed commit against the batch's first message) is reported too. The
     * kernel handles a datagram while {@code sendto} runs, so every answer is queued when it returns.
     */
    NetlinkException[] transact(List<Request> requests, long timeoutNanos) {
        return transact(requests, timeoutNanos, null);
    }

    /**
     * As {@link #transact(List, long)}, handing {@code replies} (when not null) every other message the
     * kernel addresses to one of the requests, with its index: e.g. what a request flagged
     * {@code NLM_F_ECHO} made. nfnetlink sends those at the commit, before the batch's acks.
     */
    NetlinkException[] transact(List<Request> requests, long timeoutNanos, ObjIntConsumer<NlMessage> replies) {
        int n = requests.size(); // all are encoded before the one send: an encoding failure sends nothing
        int[] seqs = new int[n];
        int[] offsets = new int[n];
        int expected = 0;
        w.reset();
        seq.reserve(n); // answers are matched by seq - seqs[0]: no wrap inside the datagram
        for (int i = 0; i < n; i++) {
            Request r = requests.get(i);
            seqs[i] = nextSeq();
            offsets[i] = w.begin(r.type, r.flags | Nl.NLM_F_REQUEST, seqs[i], 0);
            r.body.write(w, name -> {
                throw new IllegalStateException("a transaction cannot look up link " + name);
            });
            w.end(offsets[i]);
            if ((r.flags & Nl.NLM_F_ACK) != 0) {
                expected++;
            }
        }
        Supplier<String> what = () -> requests.get(0).description() + (n > 1 ? " (+" + (n - 1) + " messages)" : "");
        NetlinkException[] errors = new NetlinkException[n];
        boolean[] answered = new boolean[n];
        try {
            if (sock.isWakeRequested()) {
                throw new NetlinkException(what.get(), Errno.EBADF.code(), "the handle is being closed", -1);
            }
            finishDump(System.nanoTime() + timeoutNanos, what);
            sock.send(w.buffer(), w.position(), what);
            long deadline = System.nanoTime() + timeoutNanos;
            boolean unexpected = false;
            while (expected > 0) {
                int len;
                try {
                    len = receive(unexpected ? System.nanoTime() : deadline, what);
                } catch (NetlinkException e) {
                    if (unexpected && e.isTimeout()) {
                        break; // the kernel stopped early (e.g. ENOMEM) and said so; nothing more is queued
                    }
                    throw e;
                }
                NlReader rd = new NlReader(sock.receiveBuffer(), 0, len);
                while (rd.hasNext()) {
                    NlMessage m = next(rd, what);
                    int k = m.seq() - seqs[0];
                    if (k < 0 || k >= n || !fromKernelToUs(m)) {
                        continue;
                    }
                    if (m.type() != Nl.NLMSG_ERROR) {
                        if (replies != null && !answered[k]) {
                            replies.accept(m, k);
                        }
                        continue;
                    }
                    if (answered[k]) {
                        continue;
                    }
                    answered[k] = true;
                    NetlinkException e = ackError(m, requests.get(k)::description);
                    if (e != null && e.attributeOffset() >= Nl.NLMSG_HDRLEN) {
                        e = e.withAttributeType(attributeTypeAt(w, offsets[k], e.attributeOffset()));
                    }
                    errors[k] = e;
                    if ((requests.get(k).flags & Nl.NLM_F_ACK) != 0) {
                        expected--;
                    } else if (e != null) {
                        unexpected = true;
                    }
                }
            }
            return errors;
        } finally {
            w.reset();
        }
    }
}
