package io.github.netvirt.netlink.codec;

/**
 * Numeric constants of the netlink and rtnetlink uapi ({@code netlink.h}, {@code rtnetlink.h},
 * {@code if_link.h}, {@code if_addr.h}, {@code neighbour.h}, {@code veth.h}), x86-64 values.
 */
public final class Nl {
    private Nl() {}

    public static final int NLMSG_HDRLEN = 16;
    public static final int NLA_HDRLEN = 4;
    public static final int NLA_F_NESTED = 0x8000;
    public static final int NLA_F_NET_BYTEORDER = 0x4000;
    public static final int NLA_TYPE_MASK = 0x3fff;

    // message types
    public static final int NLMSG_NOOP = 1;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    public static final int NLMSG_OVERRUN = 4;

    public static final int RTM_NEWLINK = 16;
    public static final int RTM_DELLINK = 17;
    public static final int RTM_GETLINK = 18;
    public static final int RTM_SETLINK = 19;
    public static final int RTM_NEWADDR = 20;
    public static final int RTM_DELADDR = 21;
    public static final int RTM_GETADDR = 22;
    public static final int RTM_NEWROUTE = 24;
    public static final int RTM_DELROUTE = 25;
    public static final int RTM_GETROUTE = 26;
    public static final int RTM_NEWNEIGH = 28;
    public static final int RTM_DELNEIGH = 29;
    public static final int RTM_GETNEIGH = 30;
    public static final int RTM_NEWQDISC = 36;
    public static final int RTM_DELQDISC = 37;
    public static final int RTM_GETQDISC = 38;
    public static final int RTM_NEWTFILTER = 44;
    public static final int RTM_DELTFILTER = 45;
    public static final int RTM_GETTFILTER = 46;

    // nlmsg_flags
    public static final int NLM_F_REQUEST = 0x1;
    public static final int NLM_F_MULTI = 0x2;
    public static final int NLM_F_ACK = 0x4;
    public static final int NLM_F_ECHO = 0x8;
    public static final int NLM_F_DUMP_INTR = 0x10;
    public static final int NLM_F_DUMP_FILTERED = 0x20;
    public static final int NLM_F_ROOT = 0x100;
    public static final int NLM_F_MATCH = 0x200;
    public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
    public static final int NLM_F_REPLACE = 0x100;
    public static final int NLM_F_EXCL = 0x200;
    public static final int NLM_F_CREATE = 0x400;
    public static final int NLM_F_APPEND = 0x800;
    public static final int NLM_F_CAPPED = 0x100;
    public static final int NLM_F_ACK_TLVS = 0x200;

    // struct nlmsgerr TLVs
    public static final int NLMSGERR_ATTR_MSG = 1;
    public static final int NLMSGERR_ATTR_OFFS = 2;

    // socket options (SOL_NETLINK)
    public static final int SOL_NETLINK = 270;
    public static final int NETLINK_ADD_MEMBERSHIP = 1;
    public static final int NETLINK_DROP_MEMBERSHIP = 2;
    public static final int NETLINK_NO_ENOBUFS = 5;
    public static final int NETLINK_CAP_ACK = 10;
    public static final int NETLINK_EXT_ACK = 11;
    /** Events of the namespaces that have an id in the socket's too (Linux 4.7+). */
    public static final int NETLINK_LISTEN_ALL_NSID = 8;
    /** Dump requests checked strictly: the kernel reads their filters ({@code IFA_TARGET_NETNSID}) only then. */
    public static final int NETLINK_GET_STRICT_CHK = 12;

    public static final int NETLINK_ROUTE = 0;
    public static final int NETLINK_NETFILTER = 12;

    // multicast groups (RTNLGRP_*)
    public static final int RTNLGRP_LINK = 1;
    public static final int RTNLGRP_NEIGH = 3;
    public static final int RTNLGRP_IPV4_IFADDR = 5;
    public static final int RTNLGRP_IPV4_ROUTE = 7;
    public static final int RTNLGRP_IPV6_IFADDR = 9;
    public static final int RTNLGRP_IPV6_ROUTE = 11;

    // address families
    public static final int AF_UNSPEC = 0;
    public static final int AF_INET = 2;
    public static final int AF_BRIDGE = 7;
    public static final int AF_INET6 = 10;
    public static final int AF_PACKET = 17;

    // struct sizes
    public static final int IFINFOMSG_LEN = 16;
    public static final int IFADDRMSG_LEN = 8;
    public static final int RTMSG_LEN = 12;
    public static final int NDMSG_LEN = 12;
    public static final int TCMSG_LEN = 20;
    public static final int NLMSGERR_LEN = 20;

    // device flags (ifi_flags)
    public static final int IFF_UP = 0x1;
    public static final int IFF_BROADCAST = 0x2;
    public static final int IFF_LOOPBACK = 0x8;
    public static final int IFF_POINTOPOINT = 0x10;
    public static final int IFF_RUNNING = 0x40;
    public static final int IFF_NOARP = 0x80;
    public static final int IFF_PROMISC = 0x100;
    public static final int IFF_MULTICAST = 0x1000;
    public static final int IFF_LOWER_UP = 0x10000;

    // IFLA_*
    public static final int IFLA_ADDRESS = 1;
    public static final int IFLA_BROADCAST = 2;
    public static final int IFLA_IFNAME = 3;
    public static final int IFLA_MTU = 4;
    public static final int IFLA_LINK = 5;
    public static final int IFLA_STATS = 7;
    public static final int IFLA_MASTER = 10;
    public static final int IFLA_TXQLEN = 13;
    public static final int IFLA_OPERSTATE = 16;
    public static final int IFLA_LINKINFO = 18;
    public static final int IFLA_NET_NS_PID = 19;
    public static final int IFLA_IFALIAS = 20;
    public static final int IFLA_STATS64 = 23;
    public static final int IFLA_AF_SPEC = 26;
    public static final int IFLA_GROUP = 27;
    public static final int IFLA_NET_NS_FD = 28;
    public static final int IFLA_EXT_MASK = 29;
    public static final int IFLA_PROMISCUITY = 30;
    public static final int IFLA_NUM_TX_QUEUES = 31;
    public static final int IFLA_NUM_RX_QUEUES = 32;
    public static final int IFLA_CARRIER = 33;
    public static final int IFLA_LINK_NETNSID = 37;
    public static final int IFLA_TARGET_NETNSID = 46;
    // IFLA_AF_SPEC / AF_INET6: the device's IPv6 settings, in an s32 array indexed by DEVCONF_*
    public static final int IFLA_INET6_CONF = 2;
    /** {@code struct ifla_cacheinfo}: its {@code retrans_time} (ms) at offset 12. */
    public static final int IFLA_INET6_CACHEINFO = 5;

    public static final int DEVCONF_DAD_TRANSMITS = 6;
    /** Milliseconds (the sysctl {@code router_solicitation_delay} says seconds). */
    public static final int DEVCONF_RTR_SOLICIT_DELAY = 9;

    public static final int IFLA_MIN_MTU = 50;
    public static final int IFLA_MAX_MTU = 51;

    public static final int RTEXT_FILTER_VF = 1;
    public static final int RTEXT_FILTER_SKIP_STATS = 8;

    public static final int IFLA_INFO_KIND = 1;
    public static final int IFLA_INFO_DATA = 2;
    /** {@code IFLA_INFO_DATA} of kind {@code tun} (linux/if_link.h). */
    public static final int IFLA_TUN_TYPE = 3;

    public static final int IFLA_TUN_PI = 4;
    public static final int IFLA_TUN_VNET_HDR = 5;
    public static final int IFLA_TUN_PERSIST = 6;
    public static final int IFLA_TUN_MULTI_QUEUE = 7;
    /** {@code IFLA_TUN_TYPE} of a TAP device ({@code IFF_TAP}). */
    public static final int TUN_TYPE_TAP = 2;

    public static final int IFLA_INFO_SLAVE_KIND = 4;

    public static final int VETH_INFO_PEER = 1;

    public static final int IFLA_BR_FORWARD_DELAY = 1;
    public static final int IFLA_BR_HELLO_TIME = 2;
    public static final int IFLA_BR_MAX_AGE = 3;
    public static final int IFLA_BR_AGEING_TIME = 4;
    public static final int IFLA_BR_STP_STATE = 5;
    public static final int IFLA_BR_PRIORITY = 6;
    public static final int IFLA_BR_VLAN_FILTERING = 7;

    public static final int IFLA_MACVLAN_MODE = 1;

    public static final int IFLA_VXLAN_ID = 1;
    public static final int IFLA_VXLAN_GROUP = 2;
    public static final int IFLA_VXLAN_LINK = 3;
    public static final int IFLA_VXLAN_LOCAL = 4;
    public static final int IFLA_VXLAN_TTL = 5;
    public static final int IFLA_VXLAN_LEARNING = 7;
    public static final int IFLA_VXLAN_PORT = 15;
    public static final int IFLA_VXLAN_GROUP6 = 16;
    public static final int IFLA_VXLAN_LOCAL6 = 17;

    // IFA_*
    public static final int IFA_ADDRESS = 1;
    public static final int IFA_LOCAL = 2;
    public static final int IFA_LABEL = 3;
    public static final int IFA_BROADCAST = 4;
    public static final int IFA_FLAGS = 8;
    public static final int IFA_CACHEINFO = 6;
    public static final int IFA_RT_PRIORITY = 9;
    public static final int IFA_TARGET_NETNSID = 10;
    public static final int IFA_PROTO = 11;
    /** {@code IFA_PROTO} of an address the kernel made from a router advertisement (Linux 6.1+). */
    public static final int IFAPROT_KERNEL_RA = 2;
    /** {@code IFA_PROTO} of the link-local address the kernel makes on an up (Linux 6.1+). */
    public static final int IFAPROT_KERNEL_LL = 3;

    public static final int IFA_F_SECONDARY = 0x01;
    public static final int IFA_F_NODAD = 0x02;
    public static final int IFA_F_DADFAILED = 0x08;
    public static final int IFA_F_TENTATIVE = 0x40;
    public static final int IFA_F_PERMANENT = 0x80;
    /** IPv6: a privacy address the kernel made (same bit as IPv4's {@code IFA_F_SECONDARY}). */
    public static final int IFA_F_TEMPORARY = 0x01;

    public static final int IFA_F_HOMEADDRESS = 0x10;
    public static final int IFA_F_MANAGETEMPADDR = 0x100;
    public static final int IFA_F_NOPREFIXROUTE = 0x200;
    /** {@code INFINITY_LIFE_TIME}: a lifetime that is forever. */
    public static final long IFA_FOREVER = 0xffffffffL;

    // RTA_*
    public static final int RTA_DST = 1;
    public static final int RTA_SRC = 2;
    public static final int RTA_IIF = 3;
    public static final int RTA_OIF = 4;
    public static final int RTA_GATEWAY = 5;
    public static final int RTA_PRIORITY = 6;
    public static final int RTA_PREFSRC = 7;
    public static final int RTA_METRICS = 8;
    public static final int RTA_MULTIPATH = 9;
    public static final int RTA_FLOW = 11;
    public static final int RTA_CACHEINFO = 12;
    public static final int RTA_TABLE = 15;
    /** {@code struct rtvia}: a gateway of another family than the route ({@code via inet6}). */
    public static final int RTA_VIA = 18;

    public static final int RTA_PREF = 20;
    public static final int RTA_EXPIRES = 23;
    public static final int RTAX_LOCK = 1;
    public static final int RTAX_MTU = 2;
    public static final int RTAX_CC_ALGO = 16;

    public static final int RT_TABLE_UNSPEC = 0;
    public static final int RT_TABLE_MAIN = 254;
    public static final int RT_TABLE_LOCAL = 255;
    public static final int RTPROT_KERNEL = 2;
    public static final int RTPROT_BOOT = 3;
    public static final int RTPROT_STATIC = 4;
    public static final int RT_SCOPE_UNIVERSE = 0;
    public static final int RT_SCOPE_LINK = 253;
    public static final int RT_SCOPE_HOST = 254;
    public static final int RT_SCOPE_NOWHERE = 255;
    public static final int RTN_UNICAST = 1;
    public static final int RTN_LOCAL = 2;
    public static final int RTN_BROADCAST = 3;
    public static final int RTN_ANYCAST = 4;
    public static final int RTN_MULTICAST = 5;
    public static final int RTN_BLACKHOLE = 6;
    public static final int RTN_UNREACHABLE = 7;
    public static final int RTN_PROHIBIT = 8;
    public static final int RTN_THROW = 9;
    public static final int RTN_NAT = 10;
    public static final int RTNH_F_ONLINK = 4;

    // NDA_*
    public static final int NDA_DST = 1;
    public static final int NDA_LLADDR = 2;
    public static final int NDA_VLAN = 5;
    public static final int NDA_MASTER = 9;

    public static final int NUD_REACHABLE = 0x02;
    public static final int NUD_STALE = 0x04;
    public static final int NUD_NOARP = 0x40;
    public static final int NUD_PERMANENT = 0x80;
    public static final int NTF_SELF = 0x02;
    public static final int NTF_MASTER = 0x04;

    // traffic control (linux/rtnetlink.h, linux/pkt_sched.h, linux/pkt_cls.h, linux/tc_act/tc_mirred.h)
    public static final int TCA_KIND = 1;
    public static final int TCA_OPTIONS = 2;
    public static final int TCA_STATS2 = 7;
    public static final int TCA_CHAIN = 11;
    /** {@code TCA_STAB}: a qdisc's size table, a nest of {@link #TCA_STAB_BASE} ({@code struct tc_sizespec}). */
    public static final int TCA_STAB = 8;

    public static final int TCA_STAB_BASE = 1;
    /** {@code TC_H_ROOT}: the parent of a device's root qdisc. */
    public static final int TC_H_ROOT = 0xffffffff;
    /** {@code TC_H_INGRESS}: the parent of the ingress (and clsact) qdisc. */
    public static final int TC_H_INGRESS = 0xfffffff1;

    public static final int TCA_TBF_PARMS = 1;
    public static final int TCA_TBF_RATE64 = 4;
    public static final int TCA_TBF_BURST = 6;
    public static final int TCA_NETEM_LATENCY64 = 10;
    public static final int TCA_NETEM_JITTER64 = 11;
    public static final int TCA_NETEM_PRNG_SEED = 14;
    public static final int TCA_U32_CLASSID = 1;
    public static final int TCA_U32_SEL = 5;
    public static final int TCA_U32_ACT = 7;
    public static final int TCA_ACT_KIND = 1;
    public static final int TCA_ACT_OPTIONS = 2;
    public static final int TCA_ACT_COOKIE = 6;
    /** TC_COOKIE_MAX_SIZE: the most bytes an action's cookie holds. */
    public static final int TC_COOKIE_MAX_SIZE = 16;

    public static final int TCA_MIRRED_PARMS = 2;
    public static final int TC_U32_TERMINAL = 1;
    public static final int TC_ACT_PIPE = 3;
    public static final int TC_ACT_STOLEN = 4;
    public static final int TCA_EGRESS_REDIR = 1;
    public static final int TCA_EGRESS_MIRROR = 2;
    public static final int TCA_INGRESS_REDIR = 3;
    public static final int TCA_INGRESS_MIRROR = 4;
    public static final int TC_LINKLAYER_ETHERNET = 1;
    /** {@code ETH_P_ALL}, the protocol of a filter that sees every frame. */
    public static final int ETH_P_ALL = 0x0003;

    /** Rounds {@code len} up to the 4-byte netlink alignment. */
    public static int align(int len) {
        return (len + 3) & ~3;
    }

    /** The name of an rtnetlink message type, e.g. {@code RTM_NEWLINK}. */
    public static String typeName(int type) {
        return switch (type) {
            case NLMSG_NOOP -> "NLMSG_NOOP";
            case NLMSG_ERROR -> "NLMSG_ERROR";
            case NLMSG_DONE -> "NLMSG_DONE";
            case RTM_NEWLINK -> "RTM_NEWLINK";
            case RTM_DELLINK -> "RTM_DELLINK";
            case RTM_GETLINK -> "RTM_GETLINK";
            case RTM_SETLINK -> "RTM_SETLINK";
            case RTM_NEWADDR -> "RTM_NEWADDR";
            case RTM_DELADDR -> "RTM_DELADDR";
            case RTM_GETADDR -> "RTM_GETADDR";
            case RTM_NEWROUTE -> "RTM_NEWROUTE";
            case RTM_DELROUTE -> "RTM_DELROUTE";
            case RTM_GETROUTE -> "RTM_GETROUTE";
            case RTM_NEWNEIGH -> "RTM_NEWNEIGH";
            case RTM_DELNEIGH -> "RTM_DELNEIGH";
            case RTM_GETNEIGH -> "RTM_GETNEIGH";
            case RTM_NEWQDISC -> "RTM_NEWQDISC";
            case RTM_DELQDISC -> "RTM_DELQDISC";
            case RTM_GETQDISC -> "RTM_GETQDISC";
            case RTM_NEWTFILTER -> "RTM_NEWTFILTER";
            case RTM_DELTFILTER -> "RTM_DELTFILTER";
            case RTM_GETTFILTER -> "RTM_GETTFILTER";
            default -> "message type " + type;
        };
    }
}
