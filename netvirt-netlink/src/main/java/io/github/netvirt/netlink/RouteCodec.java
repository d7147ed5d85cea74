package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.MalformedMessageException;
import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netlink.codec.NlAttrs;
import io.github.netvirt.netlink.codec.NlMessage;
import io.github.netvirt.netlink.codec.NlWriter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** RTM_*ROUTE requests and the decoding of route messages. */
final class RouteCodec {
    private RouteCodec() {}

    static Request add(RouteSpec s) {
        s.checkComplete();
        return request(Nl.RTM_NEWROUTE, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, () -> "RTM_NEWROUTE " + s, s);
    }

    /**
     * {@link #add}, flagged {@code NLM_F_ECHO}: {@code made} gets the route as the kernel made it (the
     * RTM_NEWROUTE it sends to the socket before the ack).
     */
    static Request addEchoed(RouteSpec s, Consumer<Route> made) {
        s.checkComplete();
        Request r = request(
                Nl.RTM_NEWROUTE, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL | Nl.NLM_F_ECHO, () -> "RTM_NEWROUTE echo " + s, s);
        r.echo = m -> {
            if (m.type() == Nl.RTM_NEWROUTE) {
                made.accept(Exchange.decodeSafely(RouteCodec::decode, m, r::description));
            }
        };
        return r;
    }

    static Request replace(RouteSpec s) {
        s.checkComplete();
        return request(Nl.RTM_NEWROUTE, Nl.NLM_F_CREATE | Nl.NLM_F_REPLACE, () -> "RTM_NEWROUTE replace " + s, s);
    }

    static Request del(RouteSpec s) {
        return request(Nl.RTM_DELROUTE, 0, () -> "RTM_DELROUTE " + s, s);
    }

    private static Request request(int type, int flags, Supplier<String> desc, RouteSpec s) {
        return Request.of(type, flags, desc, (w, r) -> write(w, type, s, s.dev == null ? 0 : r.index(s.dev)), s.dev);
    }

    /** iproute2's layout: rtmsg, RTA_DST, RTA_TABLE (> 255), RTA_GATEWAY, RTA_PRIORITY, RTA_PREFSRC, RTA_OIF, RTA_METRICS, RTA_PREF, RTA_FLOW, RTA_EXPIRES. */
    static void write(NlWriter w, int type, RouteSpec s, int oif) {
        boolean del = type == Nl.RTM_DELROUTE;
        int family = s.destination.isIpv4() ? Nl.AF_INET : Nl.AF_INET6;
        int scope = del && s.scope < 0 ? Nl.RT_SCOPE_NOWHERE : s.scopeToAdd();
        int table = s.tableId();
        int tableByte = Integer.compareUnsigned(table, 256) < 0 ? table : Nl.RT_TABLE_UNSPEC;
        w.rtmsg(
                family,
                s.destination.prefixLength(),
                0,
                s.tos,
                tableByte,
                s.protocol >= 0 ? s.protocol : del ? 0 : Nl.RTPROT_BOOT,
                scope,
                s.type >= 0 ? s.type : del ? 0 : Nl.RTN_UNICAST,
                s.onLink ? Nl.RTNH_F_ONLINK : 0);
        if (s.destination.prefixLength() > 0) {
            w.address(Nl.RTA_DST, s.destination.address());
        }
        if (tableByte == Nl.RT_TABLE_UNSPEC) {
            w.u32(Nl.RTA_TABLE, table);
        }
        if (s.gateway != null) {
            if ((s.gateway instanceof Inet4Address) == s.destination.isIpv4()) {
                w.address(Nl.RTA_GATEWAY, s.gateway);
            } else {
                w.bytes(Nl.RTA_VIA, via(s.gateway));
            }
        }
        if (s.metric >= 0) {
            w.u32(Nl.RTA_PRIORITY, s.metric);
        }
        if (!s.nexthops.isEmpty()) {
            writeNexthops(w, s.nexthops, s.destination.isIpv4());
        }
        if (s.source != null) {
            w.address(Nl.RTA_PREFSRC, s.source);
        }
        if (oif > 0) {
            w.u32(Nl.RTA_OIF, oif);
        }
        if (!s.metrics.isEmpty()) {
            writeMetrics(w, s.metrics);
        }
        if (s.pref >= 0 && !del) {
            w.u8(Nl.RTA_PREF, s.pref);
        }
        if (s.realm != 0) {
            w.u32(Nl.RTA_FLOW, s.realm);
        }
        if (s.expires > 0 && !del) {
            w.u32(Nl.RTA_EXPIRES, s.expires);
        }
    }

    static void writeDump(NlWriter w, int family) {
        w.rtmsg(family, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    static Route decode(NlMessage m) {
        ByteBuffer h = m.fixedHeader(Nl.RTMSG_LEN, "rtmsg");
        int family = Byte.toUnsignedInt(h.get(0));
        int dstLen = Byte.toUnsignedInt(h.get(1));
        int tos = Byte.toUnsignedInt(h.get(3));
        int table = Byte.toUnsignedInt(h.get(4));
        int protocol = Byte.toUnsignedInt(h.get(5));
        int scope = Byte.toUnsignedInt(h.get(6));
        int type = Byte.toUnsignedInt(h.get(7));
        int flags = h.getInt(8);
        NlAttrs a = m.attrs(Nl.RTMSG_LEN);
        InetAddress dst;
        if (a.has(Nl.RTA_DST)) {
            dst = a.address(Nl.RTA_DST);
        } else {
            try {
                dst = InetAddress.getByAddress(new byte[family == Nl.AF_INET6 ? 16 : 4]);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        if (a.has(Nl.RTA_TABLE)) {
            table = a.u32(Nl.RTA_TABLE);
        }
        return new Route(
                new IpPrefix(dst, dstLen),
                gateway(a),
                a.u32(Nl.RTA_OIF, 0),
                table,
                a.u32(Nl.RTA_PRIORITY, 0),
                protocol,
                scope,
                type,
                tos,
                flags,
                a.has(Nl.RTA_PREFSRC) ? a.address(Nl.RTA_PREFSRC) : null,
                a.has(Nl.RTA_METRICS) ? metrics(a.nested(Nl.RTA_METRICS)) : RouteMetrics.NONE,
                a.u8(Nl.RTA_PREF, 0),
                a.u32(Nl.RTA_FLOW, 0),
                expires(a),
                a.has(Nl.RTA_MULTIPATH) ? nexthops(a, family) : List.of());
    }

    /** The {@code struct rtnexthop}s of {@code RTA_MULTIPATH}, each followed by its attributes. */
    private static List<Nexthop> nexthops(NlAttrs a, int family) {
        ByteBuffer b = a.buffer();
        int pos = a.payloadOffset(Nl.RTA_MULTIPATH, 0);
        int end = pos + a.length(Nl.RTA_MULTIPATH);
        List<Nexthop> out = new ArrayList<>();
        while (end - pos >= RTNH_LEN) {
            int len = Short.toUnsignedInt(b.getShort(pos));
            if (len < RTNH_LEN || len > end - pos) {
                throw new MalformedMessageException("rtnexthop at offset " + pos + " has rtnh_len " + len);
            }
            NlAttrs nh = NlAttrs.parse(b, pos + RTNH_LEN, pos + len);
            out.add(new Nexthop(
                    gateway(nh),
                    b.getInt(pos + 4),
                    Byte.toUnsignedInt(b.get(pos + 3)) + 1,
                    Byte.toUnsignedInt(b.get(pos + 2))));
            pos += Nl.align(len);
        }
        return out;
    }

    /**
     * {@code RTA_GATEWAY}, or {@code RTA_VIA} for a gateway of another family ({@code via inet6}: an
     * IPv4 route through an IPv6 next hop); null when there is neither.
     */
    private static InetAddress gateway(NlAttrs a) {
        if (a.has(Nl.RTA_GATEWAY)) {
            return a.address(Nl.RTA_GATEWAY);
        }
        if (!a.has(Nl.RTA_VIA)) {
            return null;
        }
        int len = a.length(Nl.RTA_VIA) - 2; // struct rtvia: u16 family, then the address
        if (len != 4 && len != 16) {
            throw new MalformedMessageException("RTA_VIA holds no IP address (" + len + " bytes after its family)");
        }
        byte[] address = new byte[len];
        a.buffer().get(a.payloadOffset(Nl.RTA_VIA, 2) + 2, address);
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The payload of {@code RTA_VIA} for {@code gateway}: {@code struct rtvia}, its family then its address. */
    private static byte[] via(InetAddress gateway) {
        byte[] address = gateway.getAddress();
        return ByteBuffer.allocate(2 + address.length)
                .order(ByteOrder.nativeOrder())
                .putShort((short) (address.length == 4 ? Nl.AF_INET : Nl.AF_INET6))
                .put(address)
                .array();
    }

    /**
     * {@code RTA_MULTIPATH}: per next hop a {@code struct rtnexthop} (len, flags, hops, ifindex), then
     * its RTA_GATEWAY (RTA_VIA when not of the route's family).
     */
    private static void writeNexthops(NlWriter w, List<Nexthop> nexthops, boolean ipv4) {
        int mp = w.beginPlainNest(Nl.RTA_MULTIPATH);
        for (Nexthop n : nexthops) {
            boolean other = n.gateway() != null && (n.gateway() instanceof Inet4Address) != ipv4;
            byte[] gw = n.gateway() == null
                    ? null
                    : other ? via(n.gateway()) : n.gateway().getAddress();
            int len = RTNH_LEN + (gw == null ? 0 : Nl.align(Nl.NLA_HDRLEN + gw.length));
            ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.nativeOrder());
            b.putShort((short) len)
                    .put((byte) n.flags())
                    .put((byte) (n.weight() - 1))
                    .putInt(n.outputIndex());
            if (gw != null) {
                b.putShort((short) (Nl.NLA_HDRLEN + gw.length))
                        .putShort((short) (other ? Nl.RTA_VIA : Nl.RTA_GATEWAY))
                        .put(gw);
            }
            w.raw(b.array());
        }
        w.endNest(mp);
    }

    /** {@code rta_cacheinfo.rta_expires}, in clock_t (USER_HZ, 100 a second); null when the route does not expire. */
    private static Duration expires(NlAttrs a) {
        if (!a.has(Nl.RTA_CACHEINFO)) {
            return null;
        }
        int ticks = a.buffer().getInt(a.payloadOffset(Nl.RTA_CACHEINFO, 12) + 8);
        return ticks == 0 ? null : Duration.ofMillis(10L * Math.max(ticks, 1));
    }

    private static RouteMetrics metrics(NlAttrs mx) {
        TreeMap<Integer, Integer> values = new TreeMap<>();
        for (int type = 1; type < 128; type++) { // NlAttrs sees types below 128
            if (type != Nl.RTAX_CC_ALGO && mx.length(type) == 4) {
                values.put(type, mx.u32(type));
            }
        }
        return new RouteMetrics(values, mx.has(Nl.RTAX_CC_ALGO) ? mx.string(Nl.RTAX_CC_ALGO) : null);
    }

    private static final int RTNH_LEN = 8;

    private static void writeMetrics(NlWriter w, RouteMetrics m) {
        int mx = w.beginPlainNest(Nl.RTA_METRICS);
        m.values().forEach((type, value) -> w.u32(type, value));
        if (m.congestionControl() != null) {
            w.string(Nl.RTAX_CC_ALGO, m.congestionControl());
        }
        w.endNest(mx);
    }
}
