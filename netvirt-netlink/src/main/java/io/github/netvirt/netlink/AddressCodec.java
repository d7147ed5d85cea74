package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netlink.codec.NlAttrs;
import io.github.netvirt.netlink.codec.NlMessage;
import io.github.netvirt.netlink.codec.NlWriter;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** RTM_*ADDR requests and the decoding of address messages. */
final class AddressCodec {
    static final LinkObjectRequests<AddressSpec> REQUESTS =
            new LinkObjectRequests<>(Nl.RTM_NEWADDR, Nl.RTM_DELADDR, "ADDR", s -> s.link, AddressCodec::write);

    private AddressCodec() {}

    /**
     * iproute2's layout: ifaddrmsg, IFA_LOCAL, IFA_ADDRESS when it is a peer, IFA_BROADCAST, IFA_LABEL,
     * and IFA_ADDRESS = the local address last when there is no peer.
     */
    static void write(NlWriter w, AddressSpec s, int index) {
        InetAddress local = s.prefix.address();
        w.ifaddrmsg(NlWriter.familyOf(local), s.prefix.prefixLength(), s.flags & 0xff, s.scope, index);
        w.address(Nl.IFA_LOCAL, local);
        if (s.peer != null) {
            w.address(Nl.IFA_ADDRESS, s.peer);
        }
        if (s.broadcast != null) {
            w.address(Nl.IFA_BROADCAST, s.broadcast);
        }
        if (s.label != null) {
            w.string(Nl.IFA_LABEL, s.label);
        }
        if (s.peer == null) {
            w.address(Nl.IFA_ADDRESS, local);
        }
        if ((s.flags & ~0xff) != 0) {
            w.u32(Nl.IFA_FLAGS, s.flags); // noprefixroute, mngtmpaddr: beyond ifaddrmsg's byte
        }
        if (s.metric != 0) {
            w.u32(Nl.IFA_RT_PRIORITY, s.metric);
        }
        if (s.validLifetime != Nl.IFA_FOREVER || s.preferredLifetime != Nl.IFA_FOREVER) {
            ByteBuffer ci = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
            ci.putInt(0, (int) s.preferredLifetime).putInt(4, (int) s.validLifetime);
            w.bytes(Nl.IFA_CACHEINFO, ci.array());
        }
    }

    static void writeDump(NlWriter w, int family) {
        w.ifaddrmsg(family, 0, 0, 0, 0);
    }

    /**
     * The addresses of the namespace that has id {@code netnsId} in the socket's ({@code
     * IFA_TARGET_NETNSID}), which the kernel reads only in a dump checked strictly.
     */
    static void writeDump(NlWriter w, int family, int netnsId) {
        w.ifaddrmsg(family, 0, 0, 0, 0);
        w.u32(Nl.IFA_TARGET_NETNSID, netnsId);
    }

    static Address decode(NlMessage m) {
        ByteBuffer h = m.fixedHeader(Nl.IFADDRMSG_LEN, "ifaddrmsg");
        int prefixLen = Byte.toUnsignedInt(h.get(1));
        int flags = Byte.toUnsignedInt(h.get(2));
        int scope = Byte.toUnsignedInt(h.get(3));
        int index = h.getInt(4);
        NlAttrs a = m.attrs(Nl.IFADDRMSG_LEN);
        InetAddress local = a.has(Nl.IFA_LOCAL) ? a.address(Nl.IFA_LOCAL) : a.address(Nl.IFA_ADDRESS);
        InetAddress peer = null;
        if (a.has(Nl.IFA_LOCAL) && a.has(Nl.IFA_ADDRESS)) {
            InetAddress addr = a.address(Nl.IFA_ADDRESS);
            if (!addr.equals(local)) {
                peer = addr;
            }
        }
        InetAddress brd = a.has(Nl.IFA_BROADCAST) ? a.address(Nl.IFA_BROADCAST) : null;
        if (a.has(Nl.IFA_FLAGS)) {
            flags = a.u32(Nl.IFA_FLAGS);
        }
        int proto = a.u8(Nl.IFA_PROTO, 0);
        long preferred = Nl.IFA_FOREVER;
        long valid = Nl.IFA_FOREVER;
        if (a.has(Nl.IFA_CACHEINFO)) {
            ByteBuffer ci = ByteBuffer.wrap(a.bytes(Nl.IFA_CACHEINFO)).order(ByteOrder.nativeOrder());
            preferred = Integer.toUnsignedLong(ci.getInt(0));
            valid = Integer.toUnsignedLong(ci.getInt(4));
        }
        return new Address(
                index,
                new IpPrefix(local, prefixLen),
                peer,
                brd,
                scope,
                a.string(Nl.IFA_LABEL, ""),
                flags,
                proto,
                a.u32(Nl.IFA_RT_PRIORITY, 0),
                preferred,
                valid);
    }
}
