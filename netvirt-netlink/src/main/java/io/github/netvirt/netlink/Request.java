package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.NlMessage;
import io.github.netvirt.netlink.codec.NlWriter;
import io.github.netvirt.netns.NetNamespace;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One rtnetlink request waiting to be encoded: its type, flags, the links it names (resolved to
 * ifindexes before encoding, since a lookup is itself a round trip) and a body writer.
 */
final class Request {
    interface Body {
        void write(NlWriter w, Resolver r);
    }

    final int type;
    final int flags;
    private final Supplier<String> describer;
    private String description;
    final List<LinkRef> refs;
    final Body body;
    /**
     * Links whose name or ifindex this request changes (renamed, deleted, moved away, created): a
     * batch forgets what it looked up about them once this request is encoded.
     */
    List<LinkRef> changesNames = List.of();
    /** Requests sent right after this one on the same socket; their failure fails this request. */
    List<Request> followUps = List.of();
    /** A request to send in another namespace once this one succeeded (through a short-lived socket). */
    NetNamespace foreignNs;

    Request foreignFollowUp;
    /**
     * For a request flagged {@code NLM_F_ECHO}: gets each message the kernel addresses to it before
     * its ack (what it made, as a notification would report it), or null.
     */
    Consumer<NlMessage> echo;
    /** Run once the kernel has acknowledged this request as done (not on an error), or null. */
    Runnable acked;

    /** {@code description} is asked only when a message needs it: an error, a batch's descriptions. */
    Request(int type, int flags, Supplier<String> description, List<LinkRef> refs, Body body) {
        this.type = type;
        this.flags = flags;
        this.describer = description;
        this.refs = refs;
        this.body = body;
    }

    static Request of(int type, int flags, Supplier<String> description, Body body, LinkRef... refs) {
        List<LinkRef> r = new ArrayList<>(refs.length);
        for (LinkRef ref : refs) {
            if (ref != null) {
                r.add(ref);
            }
        }
        return new Request(type, flags, description, r, body);
    }

    /** What the request does, e.g. {@code RTM_NEWLINK veth a}. */
    String description() {
        String d = description;
        if (d == null) {
            d = describer.get();
            description = d;
        }
        return d;
    }

    @Override
    public String toString() {
        return description();
    }
}
