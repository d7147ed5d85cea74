package io.github.netvirt.netlink.nftables;

import io.github.netvirt.netlink.codec.NlWriter;
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

    /** Writes the attributes inside {@code NFTA_EXPR_DATA}. */
    void write(NlWriter w);

    /** {@code type} as a nest holding {@code NFTA_DATA_VALUE}: how a constant travels to the kernel. */
    private static void writeData(NlWriter w, int type, byte[] value) {
        int d = w.beginNest(type);
        w.bytes(Nft.DATA_VALUE, value);
        w.endNest(d);
    }

    /** Big-endian u32 attributes, given as type, value, type, value, ... */
    private static void writeBe32(NlWriter w, int... typesAndValues) {
        for (int i = 0; i < typesAndValues.length; i += 2) {
            w.be32(typesAndValues[i], typesAndValues[i + 1]);
        }
    }

    // ------------------------------------------------------------------ loads

    /** Loads packet metadata ({@code NFT_META_*}) into {@code dreg}. */
    record Meta(int key, int dreg) implements Expr {
        public static final int IIF = 4;
        public static final int OIF = 5;
        public static final int IIFNAME = 6;
        public static final int OIFNAME = 7;
        public static final int NFPROTO = 15;
        public static final int L4PROTO = 16;

        @Override
        public void write(NlWriter w) {
            writeBe32(w, Nft.META_KEY, key, Nft.META_DREG, dreg);
        }
    }

    /** Loads {@code len} bytes at {@code offset} of a header ({@code base}: link, network, transport) into {@code dreg}. */
    record Payload(int base, int offset, int len, int dreg) implements Expr {
        public static final int LINK = 0;
        public static final int NETWORK = 1;
        public static final int TRANSPORT = 2;

        @Override
        public void write(NlWriter w) {
            writeBe32(w, Nft.PAYLOAD_DREG, dreg, Nft.PAYLOAD_BASE, base, Nft.PAYLOAD_OFFSET, offset,
                    Nft.PAYLOAD_LEN, len);
        }
    }

    /** Loads connection-tracking data ({@code NFT_CT_*}; {@link #STATE}: a bit set of {@code NF_CT_STATE_*}) into {@code dreg}. */
    record Ct(int key, int dreg) implements Expr {
        public static final int STATE = 0;
        public static final int STATE_INVALID = 1;
        public static final int STATE_ESTABLISHED = 2;
        public static final int STATE_RELATED = 4;
        public static final int STATE_NEW = 8;
        public static final int STATE_UNTRACKED = 64;

        @Override
        public void write(NlWriter w) {
            writeBe32(w, Nft.CT_KEY, key, Nft.CT_DREG, dreg);
        }
    }

    /** Loads a number generated per packet: {@code (random or incremental) % modulus + offset}. */
    record Numgen(int dreg, int modulus, int type, int offset) implements Expr {
        public static final int INCREMENTAL = 0;
        public static final int RANDOM = 1;

        @Override
        public void write(NlWriter w) {
            writeBe32(w, Nft.NG_DREG, dreg, Nft.NG_MODULUS, modulus, Nft.NG_TYPE, type, Nft.NG_OFFSET, offset);
        }
    }

    // ------------------------------------------------------------------ tests and transforms

    /** Compares {@code sreg} with {@code data}; the rule stops here unless the comparison holds. */
    record Cmp(int sreg, Op op, byte[] data) implements Expr {
        /** {@code NFT_CMP_*}. */
        public enum Op { EQ, NEQ, LT, LTE, GT, GTE }

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
        public void write(NlWriter w) {
            w.be32(Nft.CMP_SREG, sreg);
            w.be32(Nft.CMP_OP, op.ordinal());
            writeData(w, Nft.CMP_DATA, data);
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
        public void write(NlWriter w) {
            w.be32(Nft.BITWISE_SREG, sreg);
            w.be32(Nft.BITWISE_DREG, dreg);
            w.be32(Nft.BITWISE_OP, 0); // NFT_BITWISE_BOOL, the kernel's default, sent as nft does for payloads
            w.be32(Nft.BITWISE_LEN, mask.length);
            writeData(w, Nft.BITWISE_MASK, mask);
            writeData(w, Nft.BITWISE_XOR, xor);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bitwise b && b.sreg == sreg && b.dreg == dreg && Arrays.equals(b.mask, mask)
                    && Arrays.equals(b.xor, xor);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * (31 * sreg + dreg) + Arrays.hashCode(mask)) + Arrays.hashCode(xor);
        }

        @Override
        public String toString() {
            return "Bitwise[reg " + dreg + " = (reg " + sreg + " & " + HexFormat.of().formatHex(mask) + ") ^ "
                    + HexFormat.of().formatHex(xor) + "]";
        }
    }

    /** Converts {@code len} bytes of {@code sreg}, in units of {@code size} bytes, between host and network order. */
    record Byteorder(int sreg, int dreg, int op, int len, int size) implements Expr {
        public static final int NTOH = 0;
        public static final int HTON = 1;

        @Override
        public void write(NlWriter w) {
            writeBe32(w, Nft.BYTEORDER_SREG, sreg, Nft.BYTEORDER_DREG, dreg, Nft.BYTEORDER_OP, op,
                    Nft.BYTEORDER_LEN, len, Nft.BYTEORDER_SIZE, size);
        }
    }

    // ------------------------------------------------------------------ actions

    /** Counts the packets and bytes that reach it (both 0 in a rule to add). */
    record Counter(long packets, long bytes) implements Expr {
        @Override
        public void write(NlWriter w) {
            if (packets != 0 || bytes != 0) {
                w.be64(Nft.COUNTER_BYTES, bytes);
                w.be64(Nft.COUNTER_PACKETS, packets);
            }
        }
    }

    /** Sets the verdict register: the rule's decision. */
    record Immediate(Verdict verdict) implements Expr {
        public Immediate {
            if (verdict == null) {
                throw new IllegalArgumentException("an immediate needs a verdict");
            }
        }

        @Override
        public void write(NlWriter w) {
            w.be32(Nft.IMMEDIATE_DREG, Nft.REG_VERDICT);
            int d = w.beginNest(Nft.IMMEDIATE_DATA);
            int v = w.beginNest(Nft.DATA_VERDICT);
            w.be32(Nft.VERDICT_CODE, verdict.code());
            w.endNest(v);
            w.endNest(d);
        }
    }

    /**
     * Drops the packet and answers it: {@link #TCP_RST} a TCP reset, {@link #ICMPX_UNREACH} an ICMP or
     * ICMPv6 unreachable of {@code code} ({@code NFT_REJECTX_*}, e.g. 1 = port unreachable).
     */
    record Reject(int type, int code) implements Expr {
        public static final int ICMP_UNREACH = 0;
        public static final int TCP_RST = 1;
        public static final int ICMPX_UNREACH = 2;
        public static final int ICMPX_PORT_UNREACH = 1;

        @Override
        public void write(NlWriter w) {
            w.be32(Nft.REJECT_TYPE, type);
            w.u8(Nft.REJECT_ICMP_CODE, code);
        }
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
        public void write(NlWriter w) {
            w.raw(data);
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

    /** {@code reject} in an inet table: ICMP or ICMPv6 port unreachable. */
    static Expr portUnreachable() {
        return new Reject(Reject.ICMPX_UNREACH, Reject.ICMPX_PORT_UNREACH);
    }
}
