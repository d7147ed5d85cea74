package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netlink.codec.NlAttrs;
import io.github.netvirt.netlink.codec.NlMessage;
import io.github.netvirt.netlink.codec.NlWriter;
import java.nio.ByteBuffer;

/** RTM_*NEIGH requests and the decoding of neighbour messages. */
final class NeighborCodec {
    static final LinkObjectRequests<NeighborSpec> REQUESTS =
            new LinkObjectRequests<>(Nl.RTM_NEWNEIGH, Nl.RTM_DELNEIGH, "NEIGH", s -> s.link, NeighborCodec::write);

    private NeighborCodec() {}

    /** iproute2's layout: ndmsg, NDA_DST (ARP/NDP) or NDA_LLADDR first (FDB), NDA_VLAN. */
    static void write(NlWriter w, NeighborSpec s, int index) {
        w.ndmsg(s.family, index, s.state, s.flags, 0);
        if (s.family == Nl.AF_BRIDGE) {
            w.bytes(Nl.NDA_LLADDR, s.mac.bytes());
            if (s.vlan > 0) {
                w.u16(Nl.NDA_VLAN, s.vlan);
            }
        } else {
            w.address(Nl.NDA_DST, s.ip);
            if (s.mac != null) {
                w.bytes(Nl.NDA_LLADDR, s.mac.bytes());
            }
        }
    }

    static void writeDump(NlWriter w, int family) {
        w.ndmsg(family, 0, 0, 0, 0);
    }

    static Neighbor decode(NlMessage m) {
        ByteBuffer h = m.fixedHeader(Nl.NDMSG_LEN, "ndmsg");
        int family = Byte.toUnsignedInt(h.get(0));
        int index = h.getInt(4);
        int state = Short.toUnsignedInt(h.getShort(8));
        int flags = Byte.toUnsignedInt(h.get(10));
        NlAttrs a = m.attrs(Nl.NDMSG_LEN);
        return new Neighbor(
                family,
                index,
                a.has(Nl.NDA_DST) ? a.address(Nl.NDA_DST) : null,
                a.length(Nl.NDA_LLADDR) == 6 ? MacAddress.of(a.bytes(Nl.NDA_LLADDR)) : null,
                state,
                flags,
                a.has(Nl.NDA_VLAN) ? a.u16(Nl.NDA_VLAN) : 0,
                a.u32(Nl.NDA_MASTER, 0));
    }
}
