package io.github.netvirt.faults.rtnl;

import com.sun.jna.LastErrorException;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.sys.LibC;
import io.github.netvirt.netns.sys.Sys;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small rtnetlink client bound to one namespace, holding just what netvirt-faults needs that
 * netvirt-netlink does not offer: queueing disciplines (tbf, netem), plus link lookup, link up,
 * address add and address dump for the devices this module creates itself (the impaired link's
 * TAP devices). Requests are synchronous; one socket per handle, created inside the namespace.
 */
public final class Rtnl implements AutoCloseable {
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int RTM_NEWLINK = 16;
    static final int RTM_GETLINK = 18;
    static final int RTM_SETLINK = 19;
    static final int RTM_NEWADDR = 20;
    static final int RTM_GETADDR = 22;
    public static final int RTM_NEWQDISC = 36;
    public static final int RTM_DELQDISC = 37;
    public static final int RTM_NEWTFILTER = 44;
    public static final int TC_H_INGRESS = 0xfffffff1;
    /** The ingress qdisc's handle, {@code ffff:}. */
    public static final int INGRESS_HANDLE = 0xffff0000;
    static final int IFLA_IFNAME = 3;
    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int IFF_UP = 1;
    static final int TCA_KIND = 1;
    static final int TCA_OPTIONS = 2;
    public static final int TC_H_ROOT = 0xffffffff;
    private static final int SOL_NETLINK = 270;
    private static final int NETLINK_EXT_ACK = 11;
    private static final int NETLINK_CAP_ACK = 10;
    private static final int NLM_F_CAPPED = 0x100;
    private static final int NLM_F_ACK_TLVS = 0x200;

    /** {@code struct sockaddr_nl} of the kernel: family AF_NETLINK, pid 0, no groups. */
    private static final byte[] KERNEL = NlRequest.le(12).putShort((short) LibC.AF_NETLINK).array();

    private final int fd;
    private final byte[] rx = new byte[65536];
    private int seq = 1;
    private boolean closed;

    private Rtnl(int fd) {
        this.fd = fd;
    }

    /** A socket inside {@code ns}. */
    public static Rtnl open(NetNamespace ns) {
        int fd;
        try {
            fd = ns.inside(() -> Sys.socket(LibC.AF_NETLINK, LibC.SOCK_RAW, 0));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        try {
            Sys.setsockoptInt(fd, SOL_NETLINK, NETLINK_EXT_ACK, 1);
            Sys.setsockoptInt(fd, SOL_NETLINK, NETLINK_CAP_ACK, 1);
        } catch (RuntimeException e) {
            Sys.closeQuietly(fd);
            throw e;
        }
        return new Rtnl(fd);
    }

    // ------------------------------------------------------------------ links and addresses

    /** The ifindex of {@code name}. */
    public int linkIndex(String name) {
        NlRequest r = new NlRequest(RTM_GETLINK, NlRequest.NLM_F_REQUEST | NlRequest.NLM_F_ACK)
                .struct(new byte[16]).attrString(IFLA_IFNAME, name);
        List<ByteBuffer> replies = execute(r, "link show " + name);
        if (replies.isEmpty()) {
            throw new RtnlException("link show " + name, 19 /* ENODEV */, null);
        }
        return replies.get(0).getInt(16 + 4);
    }

    /** {@code ip link set dev INDEX up}. */
    public void linkUp(int ifindex) {
        linkSetUp(ifindex, true);
    }

    /** {@code ip link set dev INDEX up} or {@code down}. */
    public void linkSetUp(int ifindex, boolean up) {
        byte[] ifi = NlRequest.le(16).put((byte) 0).put((byte) 0).putShort((short) 0)
                .putInt(ifindex).putInt(up ? IFF_UP : 0).putInt(IFF_UP).array();
        execute(new NlRequest(RTM_SETLINK, NlRequest.NLM_F_REQUEST | NlRequest.NLM_F_ACK).struct(ifi),
                "link set " + ifindex + (up ? " up" : " down"));
    }

    /** Whether the device is administratively up ({@code IFF_UP} in {@code ip link show}). */
    public boolean isUp(String name) {
        NlRequest r = new NlRequest(RTM_GETLINK, NlRequest.NLM_F_REQUEST | NlRequest.NLM_F_ACK)
                .struct(new byte[16]).attrString(IFLA_IFNAME, name);
        List<ByteBuffer> replies = execute(r, "link show " + name);
        return (replies.get(0).getInt(16 + 8) & IFF_UP) != 0;
    }

    /** {@code ip addr add ADDRESS/PREFIX dev INDEX}. */
    public void addrAdd(int ifindex, InetAddress address, int prefixLength) {
        byte[] raw = address.getAddress();
        int family = raw.length == 4 ? LibC.AF_INET : LibC.AF_INET6;
        if (prefixLength < 0 || prefixLength > raw.length * 8) {
            throw new IllegalArgumentException("bad prefix length " + prefixLength + " for " + address);
        }
        byte[] ifa = NlRequest.le(8).put((byte) family).put((byte) prefixLength).put((byte) 0).put((byte) 0)
                .putInt(ifindex).array();
        execute(new NlRequest(RTM_NEWADDR, NlRequest.NLM_F_REQUEST | NlRequest.NLM_F_ACK
                | NlRequest.NLM_F_CREATE | NlRequest.NLM_F_EXCL)
                .struct(ifa).attr(IFA_LOCAL, raw).attr(IFA_ADDRESS, raw),
                "addr add " + address.getHostAddress() + "/" + prefixLength + " dev " + ifindex);
    }

    /** Every IPv4 and IPv6 address in the namespace ({@code ip addr show}). */
    public List<Addr> addresses() {
        NlRequest r = new NlRequest(RTM_GETADDR, NlRequest.NLM_F_REQUEST | NlRequest.NLM_F_DUMP)
                .struct(new byte[8]);
        List<Addr> out = new ArrayList<>();
        for (ByteBuffer m : execute(r, "addr show")) {
            int family = m.get(16) & 0xff;
            int prefix = m.get(17) & 0xff;
            int scope = m.get(19) & 0xff;
            int index = m.getInt(20);
            byte[] local = null;
            byte[] addr = null;
            int len = m.getInt(0);
            int p = 24;
            while (p + 4 <= len) {
                int alen = m.getShort(p) & 0xffff;
                int type = m.getShort(p + 2) & 0x3fff;
                if (alen < 4) {
                    break;
                }
                byte[] v = new byte[alen - 4];
                m.get(p + 4, v);
                if (type == IFA_LOCAL) {
                    local = v;
                } else if (type == IFA_ADDRESS) {
                    addr = v;
                }
                p += (alen + 3) & ~3;
            }
            byte[] chosen = local != null ? local : addr;
            if (chosen != null && (family == LibC.AF_INET || family == LibC.AF_INET6)) {
                try {
                    out.add(new Addr(index, InetAddress.getByAddress(chosen), prefix, scope));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ queueing disciplines

    /**
     * A qdisc request ({@code tc qdisc add|replace|del}): {@code options} are written into
     * {@code TCA_OPTIONS} by the caller's encoder, or left out when null.
     */
    public void qdisc(int type, int extraFlags, int ifindex, int parent, String kind,
            java.util.function.Consumer<NlRequest> options, String what) {
        execute(qdiscRequest(type, extraFlags, ifindex, parent, kind, options), what);
    }

    static NlRequest qdiscRequest(int type, int extraFlags, int ifindex, int parent, String kind,
            java.util.function.Consumer<NlRequest> options) {
        return tcRequest(type, extraFlags, ifindex, 0, parent, 0, kind, options);
    }

    /** Any tc request: {@code struct tcmsg} (handle, parent, info), {@code TCA_KIND}, then {@code options}. */
    public static NlRequest tcRequest(int type, int extraFlags, int ifindex, int handle, int parent, int info,
            String kind, java.util.function.Consumer<NlRequest> options) {
        byte[] tcm = NlRequest.le(20).put((byte) 0).put((byte) 0).putShort((short) 0)
                .putInt(ifindex).putInt(handle).putInt(parent).putInt(info).array();
        NlRequest r = new NlRequest(type, NlRequest.NLM_F_REQUEST | NlRequest.NLM_F_ACK | extraFlags).struct(tcm);
        if (kind != null) {
            r.attrString(TCA_KIND, kind);
        }
        if (options != null) {
            options.accept(r);
        }
        return r;
    }

    // ------------------------------------------------------------------ transport

    /** Sends {@code r} and returns the reply messages (each a buffer starting at its nlmsghdr). */
    public synchronized List<ByteBuffer> execute(NlRequest r, String what) {
        if (closed) {
            throw new IllegalStateException("rtnetlink socket is closed");
        }
        int mySeq = seq++;
        byte[] msg = r.encode(mySeq);
        try {
            LibC.sendto(fd, msg, msg.length, 0, KERNEL, KERNEL.length);
        } catch (LastErrorException e) {
            throw new RtnlException(what + ": sendto", e.getErrorCode(), null);
        }
        List<ByteBuffer> replies = new ArrayList<>();
        while (true) {
            int n;
            try {
                n = (int) LibC.recvfrom(fd, rx, rx.length, 0, null, null);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == 4 /* EINTR */) {
                    continue;
                }
                throw new RtnlException(what + ": recvfrom", e.getErrorCode(), null);
            }
            ByteBuffer b = ByteBuffer.wrap(rx, 0, n).order(ByteOrder.nativeOrder());
            int p = 0;
            while (p + 16 <= n) {
                int len = b.getInt(p);
                int type = b.getShort(p + 4) & 0xffff;
                int flags = b.getShort(p + 6) & 0xffff;
                int s = b.getInt(p + 8);
                if (len < 16 || p + len > n) {
                    throw new IllegalStateException(what + ": truncated netlink reply");
                }
                if (s == mySeq) {
                    if (type == NLMSG_ERROR) {
                        int err = -b.getInt(p + 16);
                        if (err == 0) {
                            return replies;
                        }
                        throw new RtnlException(what, err, extAck(b, p, len, flags));
                    }
                    if (type == NLMSG_DONE) {
                        int err = len >= 20 ? -b.getInt(p + 16) : 0;
                        if (err > 0) {
                            throw new RtnlException(what, err, null);
                        }
                        return replies;
                    }
                    ByteBuffer copy = ByteBuffer.wrap(Arrays.copyOfRange(rx, p, p + len)).order(ByteOrder.nativeOrder());
                    replies.add(copy);
                }
                p += (len + 3) & ~3;
            }
        }
    }

    private static String extAck(ByteBuffer b, int p, int len, int flags) {
        if ((flags & NLM_F_ACK_TLVS) == 0) {
            return null;
        }
        int echoed = (flags & NLM_F_CAPPED) != 0 ? 16 : b.getInt(p + 20);
        int q = p + 16 + 4 + ((echoed + 3) & ~3);
        while (q + 4 <= p + len) {
            int alen = b.getShort(q) & 0xffff;
            int type = b.getShort(q + 2) & 0x3fff;
            if (alen < 4) {
                break;
            }
            if (type == 1) {
                int end = q + alen;
                while (end > q + 4 && b.get(end - 1) == 0) {
                    end--;
                }
                byte[] text = new byte[end - q - 4];
                b.get(q + 4, text);
                return new String(text, StandardCharsets.UTF_8);
            }
            q += (alen + 3) & ~3;
        }
        return null;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Sys.closeQuietly(fd);
        }
    }
}
