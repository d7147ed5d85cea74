package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.MalformedMessageException;
import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netlink.codec.NlAttrs;
import io.github.netvirt.netlink.codec.NlMessage;
import io.github.netvirt.netlink.codec.NlWriter;
import io.github.netvirt.netns.Names;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** RTM_*LINK requests and the decoding of link messages. */
final class LinkCodec {
    private LinkCodec() {}

    static Request add(LinkSpec<?> spec) {
        return add(spec, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, "RTM_NEWLINK ");
    }

    /**
     * {@link #add}, flagged {@code NLM_F_ECHO}: {@code made} gets the link as the kernel made it (the
     * RTM_NEWLINK it sends to the socket before the ack, when the link is made in the socket's
     * namespace: the kernel echoes to the socket of that name in the link's namespace).
     */
    static Request addEchoed(LinkSpec<?> spec, Consumer<Link> made) {
        Request r = add(spec, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL | Nl.NLM_F_ECHO, "RTM_NEWLINK echo ");
        r.echo = m -> {
            if (m.type() == Nl.RTM_NEWLINK) {
                made.accept(Exchange.decodeSafely(LinkCodec::decode, m, r::description));
            }
        };
        return r;
    }

    private static Request add(LinkSpec<?> spec, int flags, String verb) {
        List<LinkRef> refs = new ArrayList<>();
        if (spec.master != null) {
            refs.add(spec.master);
        }
        if (spec instanceof MacvlanSpec m) {
            refs.add(m.lowerRef());
        }
        if (spec instanceof VxlanSpec x && x.deviceRef() != null) {
            refs.add(x.deviceRef());
        }
        Request r = new Request(Nl.RTM_NEWLINK, flags, () -> verb + spec.describe(), refs, spec::encode);
        // a new name may be one an earlier request freed (a link deleted with its veth peer, say)
        r.changesNames = spec instanceof VethSpec v
                ? List.of(LinkRef.of(spec.name), LinkRef.of(v.peerName))
                : List.of(LinkRef.of(spec.name));
        if (spec instanceof VethSpec v && v.peerUp) {
            Request up = setUp(LinkRef.of(v.peerName), true);
            if (v.peerPlacement == null) {
                r.followUps = List.of(up);
            } else if (v.peerPlacement.ns() != null) {
                r.foreignNs = v.peerPlacement.ns();
                r.foreignFollowUp = up;
            } else {
                throw new IllegalArgumentException(v.describe() + ": peerUp() with a raw namespace fd is not "
                        + "supported; use peerNetns(NetNamespace)");
            }
        }
        return r;
    }

    static Request del(LinkRef link) {
        Request r = Request.of(Nl.RTM_DELLINK, 0, () -> "RTM_DELLINK " + link, (w, res) -> header(w, link, 0, 0));
        r.changesNames = List.of(link);
        return r;
    }

    /** Every link in device group {@code group}: no index, no name, only IFLA_GROUP. */
    static Request delGroup(int group) {
        if (group == 0) {
            throw new IllegalArgumentException("group 0 is the default group: every link not in another");
        }
        Request r = Request.of(
                Nl.RTM_DELLINK, 0, () -> "RTM_DELLINK group " + Integer.toUnsignedString(group), (w, res) -> {
                    w.ifinfomsg(Nl.AF_UNSPEC, 0, 0, 0, 0);
                    w.u32(Nl.IFLA_GROUP, group);
                });
        r.changesNames = List.of(LinkRef.EVERY);
        return r;
    }

    /** ifinfomsg naming {@code link} by index, or by IFLA_IFNAME with index 0. */
    private static void header(NlWriter w, LinkRef link, int flags, int change) {
        w.ifinfomsg(Nl.AF_UNSPEC, 0, link.index, flags, change);
        if (link.name != null) {
            w.string(Nl.IFLA_IFNAME, link.name);
        }
    }

    static Request setUp(LinkRef link, boolean up) {
        return Request.of(
                Nl.RTM_NEWLINK,
                0,
                () -> "RTM_NEWLINK " + link + (up ? " up" : " down"),
                (w, r) -> header(w, link, up ? Nl.IFF_UP : 0, Nl.IFF_UP));
    }

    static Request setMtu(LinkRef link, int mtu) {
        Mtu.check(mtu);
        return Request.of(Nl.RTM_NEWLINK, 0, () -> "RTM_NEWLINK " + link + " mtu " + mtu, (w, r) -> {
            header(w, link, 0, 0);
            w.u32(Nl.IFLA_MTU, mtu);
        });
    }

    static Request setGroup(LinkRef link, int group) {
        return Request.of(Nl.RTM_NEWLINK, 0, () -> "RTM_NEWLINK " + link + " group " + group, (w, r) -> {
            header(w, link, 0, 0);
            w.u32(Nl.IFLA_GROUP, group);
        });
    }

    static Request setMac(LinkRef link, MacAddress mac) {
        LinkSpec.linkAddress(mac);
        return Request.of(Nl.RTM_NEWLINK, 0, () -> "RTM_NEWLINK " + link + " address " + mac, (w, r) -> {
            header(w, link, 0, 0);
            w.bytes(Nl.IFLA_ADDRESS, mac.bytes());
        });
    }

    static Request setName(LinkRef link, String newName) {
        Names.checkInterface(newName);
        // renaming needs the index: IFLA_IFNAME then carries the new name
        Request req = Request.of(
                Nl.RTM_NEWLINK,
                0,
                () -> "RTM_NEWLINK " + link + " name " + newName,
                (w, r) -> {
                    w.ifinfomsg(Nl.AF_UNSPEC, 0, r.index(link), 0, 0);
                    w.string(Nl.IFLA_IFNAME, newName);
                },
                link.name != null ? link : null);
        req.changesNames = List.of(link, LinkRef.of(newName));
        return req;
    }

    static Request setAlias(LinkRef link, String alias) {
        if (alias.getBytes(StandardCharsets.UTF_8).length >= 256) {
            throw new IllegalArgumentException("alias longer than 255 bytes");
        }
        return Request.of(Nl.RTM_NEWLINK, 0, () -> "RTM_NEWLINK " + link + " alias " + alias, (w, r) -> {
            header(w, link, 0, 0);
            w.stringNoNul(Nl.IFLA_IFALIAS, alias);
        });
    }

    static Request setMaster(LinkRef link, LinkRef master) {
        return Request.of(
                Nl.RTM_NEWLINK,
                0,
                () -> "RTM_NEWLINK " + link + (master == null ? " nomaster" : " master " + master),
                (w, r) -> {
                    header(w, link, 0, 0);
                    w.u32(Nl.IFLA_MASTER, master == null ? 0 : r.index(master));
                },
                master);
    }

    static Request setNetns(LinkRef link, int nsFd, String nsLabel) {
        Request r = Request.of(Nl.RTM_NEWLINK, 0, () -> "RTM_NEWLINK " + link + " netns " + nsLabel, (w, res) -> {
            header(w, link, 0, 0);
            w.u32(Nl.IFLA_NET_NS_FD, nsFd);
        });
        r.changesNames = List.of(link);
        return r;
    }

    /** RTM_GETLINK for one link (not a dump), as iproute2 sends it (family AF_PACKET, as it does). */
    static void writeGet(NlWriter w, LinkRef link) {
        writeGet(w, link, -1);
    }

    /**
     * RTM_GETLINK for one link of the namespace that has id {@code netnsId} in the socket's ({@code
     * IFLA_TARGET_NETNSID}; -1: the socket's own).
     */
    static void writeGet(NlWriter w, LinkRef link, int netnsId) {
        w.ifinfomsg(Nl.AF_PACKET, 0, link.index, 0, 0);
        if (link.name != null) {
            w.string(Nl.IFLA_IFNAME, link.name);
        }
        w.u32(Nl.IFLA_EXT_MASK, Nl.RTEXT_FILTER_VF);
        if (netnsId >= 0) {
            w.u32(Nl.IFLA_TARGET_NETNSID, netnsId);
        }
    }

    static void writeDump(NlWriter w) {
        writeDump(w, -1);
    }

    /** A link dump of the namespace that has id {@code netnsId} in the socket's (-1: the socket's own). */
    static void writeDump(NlWriter w, int netnsId) {
        w.ifinfomsg(Nl.AF_PACKET, 0, 0, 0, 0);
        w.u32(Nl.IFLA_EXT_MASK, Nl.RTEXT_FILTER_VF);
        if (netnsId >= 0) {
            w.u32(Nl.IFLA_TARGET_NETNSID, netnsId);
        }
    }

    /** {@code IFLA_EXT_MASK} of a request that needs a link's index, not its counters. */
    static final int INDEX_ONLY = Nl.RTEXT_FILTER_VF | Nl.RTEXT_FILTER_SKIP_STATS;

    /** A link dump for {@link #index}: the kernel leaves out the counters. */
    static void writeIndexDump(NlWriter w) {
        w.ifinfomsg(Nl.AF_PACKET, 0, 0, 0, 0);
        w.u32(Nl.IFLA_EXT_MASK, INDEX_ONLY);
    }

    /** The ifindex of an RTM_NEWLINK/RTM_DELLINK message, its attributes left unread. */
    static int index(NlMessage m) {
        return m.fixedHeader(Nl.IFINFOMSG_LEN, "ifinfomsg").getInt(4);
    }

    /** The {@code ifi_family} of an RTM_NEWLINK/RTM_DELLINK message. */
    static int family(NlMessage m) {
        return Byte.toUnsignedInt(m.fixedHeader(Nl.IFINFOMSG_LEN, "ifinfomsg").get(0));
    }

    /** The TUN/TAP options of an RTM_NEWLINK message; null when the link is no TUN/TAP device. */
    static TunOptions decodeTun(NlMessage m) {
        int index = index(m);
        NlAttrs a = m.attrs(Nl.IFINFOMSG_LEN);
        if (!a.has(Nl.IFLA_LINKINFO)) {
            return null;
        }
        NlAttrs li = a.nested(Nl.IFLA_LINKINFO);
        if (!"tun".equals(li.string(Nl.IFLA_INFO_KIND, "")) || !li.has(Nl.IFLA_INFO_DATA)) {
            return null;
        }
        NlAttrs d = li.nested(Nl.IFLA_INFO_DATA);
        return new TunOptions(
                index,
                d.u8(Nl.IFLA_TUN_TYPE, 0) == Nl.TUN_TYPE_TAP,
                d.u8(Nl.IFLA_TUN_PI, 0) != 0,
                d.u8(Nl.IFLA_TUN_VNET_HDR, 0) != 0,
                d.u8(Nl.IFLA_TUN_MULTI_QUEUE, 0) != 0,
                d.u8(Nl.IFLA_TUN_PERSIST, 0) != 0);
    }

    /**
     * How long DAD of an address of the link takes at most, from its IPv6 settings in {@code
     * IFLA_AF_SPEC}: {@code router_solicitation_delay} (the most the kernel waits before the first
     * probe) plus {@code dad_transmits} probes of {@code retrans_time_ms} each, as {@link Sysctls#dadTime}
     * reads them; null when the link has no IPv6 (e.g. its MTU is below 1280).
     */
    static Duration decodeDadTime(NlMessage m) {
        m.fixedHeader(Nl.IFINFOMSG_LEN, "ifinfomsg");
        NlAttrs a = m.attrs(Nl.IFINFOMSG_LEN);
        if (!a.has(Nl.IFLA_AF_SPEC)) {
            return null;
        }
        NlAttrs spec = a.nested(Nl.IFLA_AF_SPEC);
        if (!spec.has(Nl.AF_INET6)) {
            return null;
        }
        NlAttrs inet6 = spec.nested(Nl.AF_INET6);
        int conf = inet6.payloadOffset(Nl.IFLA_INET6_CONF, 4 * (Nl.DEVCONF_RTR_SOLICIT_DELAY + 1));
        int cache = inet6.payloadOffset(Nl.IFLA_INET6_CACHEINFO, 16);
        ByteBuffer b = inet6.buffer();
        return Sysctls.dadTime(
                b.getInt(conf + 4 * Nl.DEVCONF_RTR_SOLICIT_DELAY),
                b.getInt(conf + 4 * Nl.DEVCONF_DAD_TRANSMITS),
                Integer.toUnsignedLong(b.getInt(cache + 12)));
    }

    /** Decodes an RTM_NEWLINK/RTM_DELLINK message. */
    static Link decode(NlMessage m) {
        ByteBuffer h = m.fixedHeader(Nl.IFINFOMSG_LEN, "ifinfomsg");
        int index = h.getInt(4);
        int flags = h.getInt(8);
        NlAttrs a = m.attrs(Nl.IFINFOMSG_LEN);
        String name = a.string(Nl.IFLA_IFNAME, "");
        int mtu = a.u32(Nl.IFLA_MTU, 0);
        MacAddress mac = a.length(Nl.IFLA_ADDRESS) == 6 ? MacAddress.of(a.bytes(Nl.IFLA_ADDRESS)) : null;
        String kind = "";
        String slaveKind = "";
        if (a.has(Nl.IFLA_LINKINFO)) {
            NlAttrs li = a.nested(Nl.IFLA_LINKINFO);
            kind = li.string(Nl.IFLA_INFO_KIND, "");
            slaveKind = li.string(Nl.IFLA_INFO_SLAVE_KIND, "");
        }
        LinkStats stats = LinkStats.ZERO;
        if (a.has(Nl.IFLA_STATS64)) {
            ByteBuffer b = m.buffer();
            int o = a.payloadOffset(Nl.IFLA_STATS64, 72);
            stats = new LinkStats(
                    b.getLong(o),
                    b.getLong(o + 8),
                    b.getLong(o + 16),
                    b.getLong(o + 24),
                    b.getLong(o + 32),
                    b.getLong(o + 40),
                    b.getLong(o + 48),
                    b.getLong(o + 56),
                    b.getLong(o + 64));
        }
        if (index <= 0) {
            throw new MalformedMessageException("link message with ifindex " + index);
        }
        return new Link(
                index,
                name,
                kind,
                flags,
                OperState.of(a.u8(Nl.IFLA_OPERSTATE, 0)),
                mtu,
                mac,
                a.u32(Nl.IFLA_MASTER, 0),
                a.u32(Nl.IFLA_LINK, 0),
                a.u32(Nl.IFLA_LINK_NETNSID, -1),
                a.string(Nl.IFLA_IFALIAS, ""),
                slaveKind,
                stats,
                a.u32(Nl.IFLA_GROUP, 0));
    }
}
