package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netlink.codec.NlAttrs;
import io.github.netvirt.netlink.codec.NlMessage;
import java.nio.ByteBuffer;

/** The fixed header of a qdisc or filter message ({@code struct tcmsg}) and the attributes after it. */
record Tcmsg(int index, int handle, int parent, int info, NlAttrs attrs) {
    static Tcmsg decode(NlMessage m) {
        ByteBuffer h = m.fixedHeader(Nl.TCMSG_LEN, "tcmsg");
        return new Tcmsg(h.getInt(4), h.getInt(8), h.getInt(12), h.getInt(16), m.attrs(Nl.TCMSG_LEN));
    }

    /** {@code TCA_KIND}, or "" without one. */
    String kind() {
        return attrs.string(Nl.TCA_KIND, "");
    }
}
