package io.github.netvirt.netlink.nftables;

import io.github.netvirt.netns.internal.Require;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The expressions of common matches, encoded as {@code nft} encodes them (register 1, values in
 * network order), so that {@code nft list ruleset} shows them in its usual words. Each returns the
 * loads and comparisons of one match; a rule is matches followed by actions ({@link Rule.Builder}).
 */
public final class Match {
    /** IANA protocol numbers. */
    public static final int TCP = 6;

    public static final int UDP = 17;

    /** TCP flag bits, for {@link #tcpFlags}. */
    public static final int SYN = 0x02;

    public static final int RST = 0x04;
    public static final int ACK = 0x10;

    private static final int R = Nft.REG_1;

    private Match() {}

    /** {@code ip saddr A} or {@code ip6 saddr A} (an inet table: the family is matched first). */
    public static List<Expr> source(InetAddress a) {
        return address(a, true);
    }

    /** {@code ip daddr A} or {@code ip6 daddr A}. */
    public static List<Expr> destination(InetAddress a) {
        return address(a, false);
    }

    private static List<Expr> address(InetAddress a, boolean source) {
        if (a == null) {
            throw new IllegalArgumentException("address is null");
        }
        boolean v4 = a instanceof Inet4Address;
        int offset = v4 ? (source ? 12 : 16) : (source ? 8 : 24);
        byte[] bytes = a.getAddress();
        return List.of(
                new Expr.Meta(Expr.Meta.NFPROTO, R),
                eq(new byte[] {(byte) (v4 ? 2 : 10)}),
                new Expr.Payload(Expr.Payload.NETWORK, offset, bytes.length, R),
                eq(bytes));
    }

    /** {@code meta l4proto P}. */
    public static List<Expr> protocol(int protocol) {
        Require.inRange(protocol, 0, 255, "protocol number");
        return List.of(new Expr.Meta(Expr.Meta.L4PROTO, R), eq(new byte[] {(byte) protocol}));
    }

    /** {@code tcp dport P} / {@code udp dport P} (any protocol with ports at the start of its header). */
    public static List<Expr> destinationPort(int protocol, int port) {
        return port(protocol, port, 2);
    }

    /** {@code tcp sport P} / {@code udp sport P}. */
    public static List<Expr> sourcePort(int protocol, int port) {
        return port(protocol, port, 0);
    }

    private static List<Expr> port(int protocol, int port, int offset) {
        Require.inRange(port, 0, 65535, "port");
        List<Expr> p = protocol(protocol);
        return List.of(p.get(0), p.get(1), new Expr.Payload(Expr.Payload.TRANSPORT, offset, 2, R), eq(new byte[] {
            (byte) (port >>> 8), (byte) port
        }));
    }

    /**
     * {@code tcp flags & MASK == VALUE}, e.g. {@code tcpFlags(SYN | ACK, SYN)}: a connection's first
     * segment. It matches TCP first ({@code meta l4proto tcp}, as nft does: the flags byte is read from
     * whatever transport header the packet has); after a TCP port match a {@link Rule} sends that once.
     */
    public static List<Expr> tcpFlags(int mask, int value) {
        if ((mask & ~0xff) != 0 || (value & ~mask) != 0) {
            throw new IllegalArgumentException("flags " + value + " outside mask " + mask);
        }
        List<Expr> tcp = protocol(TCP);
        return List.of(
                tcp.get(0),
                tcp.get(1),
                new Expr.Payload(Expr.Payload.TRANSPORT, 13, 1, R),
                new Expr.Bitwise(R, R, new byte[] {(byte) mask}, new byte[1]),
                eq(new byte[] {(byte) value}));
    }

    /** {@code ct state S1,S2}: any of the {@link Expr.Ct.State} bits in {@code states}. */
    public static List<Expr> ctState(int states) {
        if (states == 0) {
            throw new IllegalArgumentException("no connection state given");
        }
        return List.of(
                new Expr.Ct(Expr.Ct.STATE, R),
                new Expr.Bitwise(R, R, hostOrder(states), new byte[4]),
                new Expr.Cmp(R, Expr.Cmp.Op.NEQ, new byte[4]));
    }

    /** {@code meta iif INDEX}: arrived on the device of ifindex {@code index}. */
    public static List<Expr> inputInterface(int index) {
        return List.of(new Expr.Meta(Expr.Meta.IIF, R), eq(hostOrder(index)));
    }

    /** {@code meta oif INDEX}: leaves through the device of ifindex {@code index}. */
    public static List<Expr> outputInterface(int index) {
        return List.of(new Expr.Meta(Expr.Meta.OIF, R), eq(hostOrder(index)));
    }

    /**
     * {@code numgen random mod MODULUS < THRESHOLD}: true for a fraction {@code threshold / modulus} of
     * the packets, chosen by the kernel's random numbers (not replayable).
     */
    public static List<Expr> random(int modulus, int threshold) {
        if (modulus <= 0 || threshold < 0 || threshold > modulus) {
            throw new IllegalArgumentException("need 0 <= threshold <= modulus, 0 < modulus");
        }
        return List.of(
                new Expr.Numgen(R, modulus, Expr.Numgen.RANDOM, 0),
                new Expr.Byteorder(R, R, Expr.Byteorder.HTON, 4, 4),
                new Expr.Cmp(R, Expr.Cmp.Op.LT, new byte[] {
                    (byte) (threshold >>> 24), (byte) (threshold >>> 16), (byte) (threshold >>> 8), (byte) threshold
                }));
    }

    private static Expr eq(byte[] value) {
        return new Expr.Cmp(R, Expr.Cmp.Op.EQ, value);
    }

    /** Registers loaded from kernel integers (ifindex, ct state) hold them in host order, little-endian here. */
    private static byte[] hostOrder(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }
}
