package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.NlMessage;
import io.github.netvirt.netlink.codec.NlWriter;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.Require;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ObjIntConsumer;

/**
 * A netlink socket of any protocol inside a namespace, with {@link NetlinkHandle}'s engine (sequence
 * numbers, deadlines, extended acks, dumps retried on {@code NLM_F_DUMP_INTR}) but no knowledge of
 * the messages: for protocols described elsewhere, such as nf_tables
 * ({@code io.github.netvirt.netlink.nftables}). Thread-safe: exchanges are serialised.
 */
public final class NetlinkChannel implements AutoCloseable {
    /** One message to send: its type, flags (besides {@code NLM_F_REQUEST}), a description for errors, its payload. */
    public record Message(int type, int flags, String description, Consumer<NlWriter> body) {
        public Message {
            if (description == null || body == null) {
                throw new IllegalArgumentException("a message needs a description and a body");
            }
        }
    }

    private final NetNamespace ns;
    private final Session session;
    private final long timeoutNanos;

    private NetlinkChannel(NetNamespace ns, NetlinkSocket sock, Duration timeout) {
        this.ns = ns;
        this.session = new Session(sock, ns.toString(), "netlink channel in " + ns);
        this.timeoutNanos = Require.waitNanos(timeout, "timeout");
    }

    /**
     * Opens a socket of {@code protocol} (e.g. {@link io.github.netvirt.netlink.codec.Nl#NETLINK_NETFILTER})
     * inside {@code ns}.
     *
     * @throws NetlinkException when the socket cannot be created (EPROTONOSUPPORT: no such protocol)
     * @throws IllegalArgumentException on a null namespace or a non-positive timeout
     */
    public static NetlinkChannel open(NetNamespace ns, int protocol, Duration timeout) {
        if (ns == null) {
            throw new IllegalArgumentException("namespace is null");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        return new NetlinkChannel(ns, NetlinkSocket.openProtocol(ns, protocol), timeout);
    }

    public NetNamespace namespace() {
        return ns;
    }

    /**
     * Sends {@code messages} in one datagram and waits for the ack of each message flagged
     * {@code NLM_F_ACK}. Returns, per message, the kernel's error or null (acknowledged, or no ack
     * asked and no error reported).
     *
     * @throws NetlinkException when the exchange itself fails (ETIMEDOUT, ENOBUFS, closed; EBADMSG: a
     *     datagram from the kernel that cannot be split into messages)
     */
    public List<NetlinkException> sendAll(List<Message> messages) {
        return sendAll(messages, null);
    }

    /**
     * As {@link #sendAll(List)}, handing {@code replies} (when not null) every other message the kernel
     * sends back for one of {@code messages}, with that message's index, e.g. the object a message
     * flagged {@code NLM_F_ECHO} made. The reply's buffer is reused once {@code replies} returns: decode
     * it there.
     */
    public List<NetlinkException> sendAll(List<Message> messages, ObjIntConsumer<NlMessage> replies) {
        if (messages.isEmpty()) {
            return List.of();
        }
        List<Request> requests = new ArrayList<>(messages.size());
        for (Message m : messages) {
            requests.add(Request.of(
                    m.type(), m.flags(), m::description, (w, r) -> m.body().accept(w)));
        }
        return Collections.unmodifiableList(
                Arrays.asList(session.locked(e -> e.transact(requests, timeoutNanos, replies))));
    }

    /**
     * Runs a dump: sends a {@code type} request with {@code NLM_F_DUMP} whose payload {@code body}
     * writes, and decodes every reply ({@code decode} may return null to skip one).
     *
     * @throws NetlinkException when the kernel refuses the dump or the exchange fails
     */
    public <T> List<T> dump(int type, Consumer<NlWriter> body, Function<NlMessage, T> decode, String what) {
        return session.locked(e -> e.dump(type, body, decode, what, timeoutNanos));
    }

    /** Test hook: the next message gets sequence number {@code last + 1}. */
    void startSequenceAfter(int last) {
        session.locked(e -> {
            e.startSequenceAfter(last);
            return null;
        });
    }

    /**
     * Closes the socket; idempotent and thread-safe. A thread waiting on the kernel is woken first;
     * concurrent calls each return once the socket is released.
     */
    @Override
    public void close() {
        session.close();
    }

    @Override
    public String toString() {
        return "NetlinkChannel[" + ns + (session.isClosed() ? ", closed]" : "]");
    }
}
