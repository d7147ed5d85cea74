package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netlink.codec.NlAttrs;
import io.github.netvirt.netlink.codec.NlMessage;
import java.nio.ByteBuffer;

/** The fixed header of a qdisc or filter message ({@code struct tcmsg}) and the attributes after it. */
record Tcmsg(int index, int handle, int parent, int info, NlAttrs attrs) {
    static Tcmsg decode(NlMessage m) {
        m.requirePayload(Nl.TCMSG_LEN, "tcmsg");
        ByteBuffer b = m.buffer();
        int p = m.payloadOffset();
        return new Tcmsg(b.getInt(p + 4), b.getInt(p + 8), b.getInt(p + 12), b.getInt(p + 16), m.attrs(Nl.TCMSG_LEN));
    }

    /** {@code TCA_KIND}, or "" without one. */
    String kind() {
        return attrs.string(Nl.TCA_KIND, "");
    }
}
