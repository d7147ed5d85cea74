package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netlink.codec.NlWriter;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The add, replace and del requests of one kind of rtnetlink object that belongs to a link (an
 * address, a neighbour): {@code RTM_NEWx} with create|excl, {@code RTM_NEWx} with create|replace,
 * {@code RTM_DELx}; the body written once the link's ifindex is known.
 */
final class LinkObjectRequests<S> {
    interface Writer<S> {
        void write(NlWriter w, S spec, int index);
    }

    private final int newType;
    private final int delType;
    private final String name;
    private final Function<S, LinkRef> link;
    private final Writer<S> writer;

    /** {@code name} is the object's part of the message names: "ADDR" for RTM_NEWADDR/RTM_DELADDR. */
    LinkObjectRequests(int newType, int delType, String name, Function<S, LinkRef> link, Writer<S> writer) {
        this.newType = newType;
        this.delType = delType;
        this.name = name;
        this.link = link;
        this.writer = writer;
    }

    Request add(S s) {
        return request(newType, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, () -> "RTM_NEW" + name + " " + s, s);
    }

    Request replace(S s) {
        return request(newType, Nl.NLM_F_CREATE | Nl.NLM_F_REPLACE, () -> "RTM_NEW" + name + " replace " + s, s);
    }

    Request del(S s) {
        return request(delType, 0, () -> "RTM_DEL" + name + " " + s, s);
    }

    private Request request(int type, int flags, Supplier<String> desc, S s) {
        LinkRef l = link.apply(s);
        return Request.of(type, flags, desc, (w, r) -> writer.write(w, s, r.index(l)), l);
    }
}
