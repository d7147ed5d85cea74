package io.github.netvirt.netlink.nftables;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * One nf_tables expression: a step of a rule's small register machine. Loads ({@link Meta},
 * {@link Payload}, {@link Ct}, {@link Numgen}) put a value in a register, {@link Cmp} and
 * {@link Bitwise} test or transform it, {@link Immediate} and {@link Reject} decide the packet's fate.
 * {@link Match} builds the usual combinations the way {@code nft} does; a rule read back from the
 * kernel comes back as these values ({@link Other} for kinds this package does not model).
 */
public sealed interface Expr {
    /** The kernel's name of the expression kind, e.g. {@code payload}: the record's name in lower case. */
    default String name() {
        return getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    // ------------------------------------------------------------------ loads

    /** Loads packet metadata ({@code NFT_META_*}) into {@code dreg}. */
    record Meta(int key, int dreg) implements Expr {
        /** The ether type ({@code meta protocol}): 2 bytes in network order, e.g. 0x0800 IPv4, 0x86dd IPv6. */
        public static final int PROTOCOL = 1;

        public static final int IIF = 4;
        public static final int OIF = 5;
        public static final int IIFNAME = 6;
        public static final int OIFNAME = 7;
        public static final int NFPROTO = 15;
        public static final int L4PROTO = 16;
    }

    /** Loads {@code len} bytes at {@code offset} of a header ({@code base}: link, network, transport) into {@code dreg}. */
    record Payload(int base, int offset, int len, int dreg) implements Expr {
        public static final int LINK = 0;
        public static final int NETWORK = 1;
        public static final int TRANSPORT = 2;
    }

    /** Loads connection-tracking data ({@code NFT_CT_*}; {@link #STATE}: a bit set of {@link State}) into {@code dreg}. */
    record Ct(int key, int dreg) implements Expr {
        /** The key of the connection's state. */
        public static final int STATE = 0;

        /** The bits of the state ({@code NF_CT_STATE_*}). */
        public static final class State {
            public static final int INVALID = 1;
            public static final int ESTABLISHED = 2;
            public static final int RELATED = 4;
            public static final int NEW = 8;
            public static final int UNTRACKED = 64;

            private State() {}
        }
    }

    /** Loads a number generated per packet: {@code (random or incremental) % modulus + offset}. */
    record Numgen(int dreg, int modulus, int type, int offset) implements Expr {
        public static final int INCREMENTAL = 0;
        public static final int RANDOM = 1;
    }

    // ------------------------------------------------------------------ tests and transforms

    /** Compares {@code sreg} with {@code data}; the rule stops here unless the comparison holds. */
    record Cmp(int sreg, Op op, byte[] data) implements Expr {
        /** {@code NFT_CMP_*}. */
        public enum Op {
            EQ,
            NEQ,
            LT,
            LTE,
            GT,
            GTE
        }

        public Cmp {
            if (op == null || data == null || data.length == 0 || data.length > 16) {
                throw new IllegalArgumentException("a comparison needs an operator and 1 to 16 bytes of data");
            }
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Cmp c && c.sreg == sreg && c.op == op && Arrays.equals(c.data, data);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * sreg + op.hashCode()) + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Cmp[reg " + sreg + " " + op + " " + HexFormat.of().formatHex(data) + "]";
        }
    }

    /** {@code dreg = (sreg & mask) ^ xor} over {@code len} bytes (a boolean bitwise operation). */
    record Bitwise(int sreg, int dreg, byte[] mask, byte[] xor) implements Expr {
        public Bitwise {
            if (mask == null || xor == null || mask.length == 0 || mask.length != xor.length || mask.length > 16) {
                throw new IllegalArgumentException("mask and xor need the same length, 1 to 16 bytes");
            }
            mask = mask.clone();
            xor = xor.clone();
        }

        @Override
        public byte[] mask() {
            return mask.clone();
        }

        @Override
        public byte[] xor() {
            return xor.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bitwise b
                    && b.sreg == sreg
                    && b.dreg == dreg
                    && Arrays.equals(b.mask, mask)
                    && Arrays.equals(b.xor, xor);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * (31 * sreg + dreg) + Arrays.hashCode(mask)) + Arrays.hashCode(xor);
        }

        @Override
        public String toString() {
            return "Bitwise[reg " + dreg + " = (reg " + sreg + " & "
                    + HexFormat.of().formatHex(mask) + ") ^ " + HexFormat.of().formatHex(xor) + "]";
        }
    }

    /** Converts {@code len} bytes of {@code sreg}, in units of {@code size} bytes, between host and network order. */
    record Byteorder(int sreg, int dreg, int op, int len, int size) implements Expr {
        public static final int NTOH = 0;
        public static final int HTON = 1;
    }

    // ------------------------------------------------------------------ actions

    /** Counts the packets and bytes that reach it (both 0 in a rule to add). */
    record Counter(long packets, long bytes) implements Expr {}

    /** Sets the verdict register: the rule's decision. */
    record Immediate(Verdict verdict) implements Expr {
        public Immediate {
            if (verdict == null) {
                throw new IllegalArgumentException("an immediate needs a verdict");
            }
        }
    }

    /**
     * Drops the packet and answers it: {@link #TCP_RST} a TCP reset, {@link #ICMPX_UNREACH} an ICMP or
     * ICMPv6 unreachable of {@code code} ({@code NFT_REJECTX_*}, e.g. 1 = port unreachable, mapped to
     * each version's code), {@link #ICMP_UNREACH} a destination unreachable of {@code code} as it is
     * (ICMP's, e.g. 3 = port unreachable, or ICMPv6's, e.g. 4 = port unreachable). The kernel answers
     * with the packet's own ICMP version whatever the code was meant for, so in an inet, bridge or
     * netdev table an {@link #ICMP_UNREACH} rule must match the IP version first, as nft's {@code
     * reject with icmp type ...} and {@code icmpv6 type ...} do; a {@link Rule} to add without it is
     * refused.
     */
    record Reject(int type, int code) implements Expr {
        public static final int ICMP_UNREACH = 0;
        public static final int TCP_RST = 1;
        public static final int ICMPX_UNREACH = 2;
        public static final int ICMPX_PORT_UNREACH = 1;
    }

    /** An expression of a kind this package does not model, as read back: its name and raw attributes. */
    record Other(String name, byte[] data) implements Expr {
        public Other {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Other x && x.name.equals(name) && Arrays.equals(x.data, data);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Other[" + name + " " + HexFormat.of().formatHex(data) + "]";
        }
    }

    // ------------------------------------------------------------------ verdicts

    static Expr accept() {
        return new Immediate(Verdict.ACCEPT);
    }

    static Expr drop() {
        return new Immediate(Verdict.DROP);
    }

    /** A counter, as in a rule to add. */
    static Expr counter() {
        return new Counter(0, 0);
    }

    /** {@code reject with tcp reset}. */
    static Expr tcpReset() {
        return new Reject(Reject.TCP_RST, 0);
    }

    /**
     * {@code reject} in an inet, bridge or netdev table: ICMP or ICMPv6 port unreachable (an icmpx
     * reject, which a rule of an ip or ip6 table refuses: the kernel's reject there would drop silently).
     */
    static Expr portUnreachable() {
        return new Reject(Reject.ICMPX_UNREACH, Reject.ICMPX_PORT_UNREACH);
    }
}
