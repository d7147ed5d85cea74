package io.github.netvirt.netlink.codec;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes netlink messages into one growable, reusable buffer in host byte order: many messages can
 * be written back to back and sent with one {@code sendto}. Not thread-safe.
 *
 * <pre>
 * int m = w.begin(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, seq, 0);
 * w.ifinfomsg(0, 0, 0, 0, 0);
 * w.string(IFLA_IFNAME, "br0");
 * int li = w.beginNest(IFLA_LINKINFO);
 * w.string(IFLA_INFO_KIND, "bridge");
 * w.endNest(li);
 * w.end(m);
 * </pre>
 */
public final class NlWriter {
    private static final boolean BIG_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

    // Encoding goes into a byte array, copied to the buffer in one bulk put when it is asked for:
    // until the JIT compiles them, every ByteBuffer put is a chain of interpreted calls, an array
    // store is one bytecode.
    private byte[] a;
    private int pos;
    private ByteBuffer buf;

    /** A writer over a new direct buffer of {@code initialCapacity} bytes. */
    public NlWriter(int initialCapacity) {
        this(ByteBuffer.allocateDirect(Math.max(64, initialCapacity)));
    }

    /**
     * A writer over {@code buffer} (direct, to be sent without copying, or heap); it is cleared and
     * set to native byte order. When it is outgrown a bigger one of the same kind replaces it.
     */
    public NlWriter(ByteBuffer buffer) {
        if (buffer.capacity() < 64) {
            throw new IllegalArgumentException("buffer too small: " + buffer.capacity());
        }
        buf = buffer.clear().order(ByteOrder.nativeOrder());
        a = new byte[Math.min(buffer.capacity(), 1024)];
    }

    /** Forgets everything written; the buffer is kept. */
    public void reset() {
        pos = 0;
    }

    /** Bytes written so far. */
    public int position() {
        return pos;
    }

    /** Discards what was written after {@code position} (e.g. a request that failed validation). */
    public void truncate(int position) {
        pos = position;
    }

    /**
     * The backing buffer, holding the encoded messages in bytes {@code [0, position())} (its
     * position is set there). It changes when it grows.
     */
    public ByteBuffer buffer() {
        if (buf.capacity() < pos) {
            buf = (buf.isDirect() ? ByteBuffer.allocateDirect(a.length) : ByteBuffer.allocate(a.length))
                    .order(ByteOrder.nativeOrder());
        }
        buf.clear();
        buf.put(a, 0, pos);
        return buf;
    }

    /** A copy of the bytes written so far. */
    public byte[] toByteArray() {
        return Arrays.copyOf(a, pos);
    }

    /** The 32-bit value at {@code offset}, in host byte order. */
    public int intAt(int offset) {
        return BIG_ENDIAN
                ? (a[offset] & 0xff) << 24
                        | (a[offset + 1] & 0xff) << 16
                        | (a[offset + 2] & 0xff) << 8
                        | a[offset + 3] & 0xff
                : a[offset] & 0xff
                        | (a[offset + 1] & 0xff) << 8
                        | (a[offset + 2] & 0xff) << 16
                        | (a[offset + 3] & 0xff) << 24;
    }

    /** The unsigned 16-bit value at {@code offset}, in host byte order. */
    public int u16At(int offset) {
        return BIG_ENDIAN
                ? (a[offset] & 0xff) << 8 | a[offset + 1] & 0xff
                : a[offset] & 0xff | (a[offset + 1] & 0xff) << 8;
    }

    private void ensure(int more) {
        if (a.length - pos >= more) {
            return;
        }
        int cap = a.length;
        while (cap - pos < more) {
            cap *= 2;
        }
        a = Arrays.copyOf(a, cap);
    }

    private void pad() {
        int p = Nl.align(pos);
        ensure(p - pos);
        while (pos < p) {
            a[pos++] = 0;
        }
    }

    private void put8(int v) {
        a[pos++] = (byte) v;
    }

    private void put16(int v) {
        put16At(pos, v);
        pos += 2;
    }

    private void put16At(int at, int v) {
        if (BIG_ENDIAN) {
            a[at] = (byte) (v >>> 8);
            a[at + 1] = (byte) v;
        } else {
            a[at] = (byte) v;
            a[at + 1] = (byte) (v >>> 8);
        }
    }

    private void put32(int v) {
        put32At(pos, v);
        pos += 4;
    }

    private void put32At(int at, int v) {
        if (BIG_ENDIAN) {
            a[at] = (byte) (v >>> 24);
            a[at + 1] = (byte) (v >>> 16);
            a[at + 2] = (byte) (v >>> 8);
            a[at + 3] = (byte) v;
        } else {
            a[at] = (byte) v;
            a[at + 1] = (byte) (v >>> 8);
            a[at + 2] = (byte) (v >>> 16);
            a[at + 3] = (byte) (v >>> 24);
        }
    }

    private void putBytes(byte[] b) {
        System.arraycopy(b, 0, a, pos, b.length);
        pos += b.length;
    }

    // ------------------------------------------------------------ messages

    /** Starts a message; returns its offset, to pass to {@link #end}. */
    public int begin(int type, int flags, int seq, int pid) {
        pad();
        ensure(Nl.NLMSG_HDRLEN);
        int start = pos;
        put32(0);
        put16(type);
        put16(flags);
        put32(seq);
        put32(pid);
        return start;
    }

    /** Finishes the message started at {@code start}: writes its length and pads to 4 bytes. */
    public void end(int start) {
        put32At(start, pos - start);
        pad();
    }

    public void ifinfomsg(int family, int type, int index, int flags, int change) {
        ensure(Nl.IFINFOMSG_LEN);
        put8(family);
        put8(0);
        put16(type);
        put32(index);
        put32(flags);
        put32(change);
    }

    public void ifaddrmsg(int family, int prefixLen, int flags, int scope, int index) {
        ensure(Nl.IFADDRMSG_LEN);
        put8(family);
        put8(prefixLen);
        put8(flags);
        put8(scope);
        put32(index);
    }

    public void rtmsg(
            int family, int dstLen, int srcLen, int tos, int table, int protocol, int scope, int type, int flags) {
        ensure(Nl.RTMSG_LEN);
        put8(family);
        put8(dstLen);
        put8(srcLen);
        put8(tos);
        put8(table);
        put8(protocol);
        put8(scope);
        put8(type);
        put32(flags);
    }

    public void ndmsg(int family, int ifindex, int state, int flags, int type) {
        ensure(Nl.NDMSG_LEN);
        familyAndIndex(family, ifindex);
        put16(state);
        put8(flags);
        put8(type);
    }

    /** {@code struct tcmsg}: family, ifindex, handle, parent, info (a filter's priority and protocol). */
    public void tcmsg(int family, int ifindex, int handle, int parent, int info) {
        ensure(Nl.TCMSG_LEN);
        familyAndIndex(family, ifindex);
        put32(handle);
        put32(parent);
        put32(info);
    }

    /** The start {@code ndmsg} and {@code tcmsg} share: the family, three bytes of padding, the ifindex. */
    private void familyAndIndex(int family, int ifindex) {
        put8(family);
        put8(0);
        put16(0);
        put32(ifindex);
    }

    /**
     * Raw bytes, padded, without an attribute header: a fixed struct at the start of a nest, as
     * netem's {@code TCA_OPTIONS} begins with {@code struct tc_netem_qopt}.
     */
    public void raw(byte[] bytes) {
        pad();
        ensure(bytes.length + 3);
        putBytes(bytes);
        pad();
    }

    // ------------------------------------------------------------ attributes

    private void header(int type, int payloadLen) {
        if (payloadLen > 0xffff - Nl.NLA_HDRLEN) {
            throw new IllegalArgumentException("attribute " + type + " too long: " + payloadLen + " bytes");
        }
        pad();
        ensure(Nl.NLA_HDRLEN + payloadLen + 3);
        put16(Nl.NLA_HDRLEN + payloadLen);
        put16(type);
    }

    public void u8(int type, int value) {
        header(type, 1);
        put8(value);
        pad();
    }

    public void u16(int type, int value) {
        header(type, 2);
        put16(value);
        pad();
    }

    /** A 16-bit value in network byte order (ports). */
    public void be16(int type, int value) {
        header(type, 2);
        put8(value >>> 8);
        put8(value);
        pad();
    }

    public void u32(int type, int value) {
        header(type, 4);
        put32(value);
        pad();
    }

    /** A 32-bit value in network byte order (nf_tables sends all its integers so). */
    public void be32(int type, int value) {
        header(type, 4);
        put8(value >>> 24);
        put8(value >>> 16);
        put8(value >>> 8);
        put8(value);
        pad();
    }

    /** A 64-bit value in network byte order (nf_tables handles and counters). */
    public void be64(int type, long value) {
        header(type, 8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            put8((int) (value >>> shift));
        }
        pad();
    }

    public void u64(int type, long value) {
        header(type, 8);
        if (BIG_ENDIAN) {
            put32((int) (value >>> 32));
            put32((int) value);
        } else {
            put32((int) value);
            put32((int) (value >>> 32));
        }
        pad();
    }

    /** A flag attribute: no payload. */
    public void flag(int type) {
        header(type, 0);
    }

    /** A NUL-terminated string. */
    public void string(int type, String value) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        header(type, b.length + 1);
        putBytes(b);
        put8(0);
        pad();
    }

    /** A string without its NUL ({@code NLA_STRING} accepts both; iproute2 sends kinds and aliases so). */
    public void stringNoNul(int type, String value) {
        bytes(type, value.getBytes(StandardCharsets.UTF_8));
    }

    public void bytes(int type, byte[] value) {
        header(type, value.length);
        putBytes(value);
        pad();
    }

    /** An IPv4 or IPv6 address in network byte order (4 or 16 bytes). */
    public void address(int type, InetAddress value) {
        bytes(type, value.getAddress());
    }

    /** 4 for IPv4 addresses, 16 for IPv6. */
    public static int familyOf(InetAddress a) {
        return a instanceof Inet4Address ? Nl.AF_INET : Nl.AF_INET6;
    }

    /** Opens a nested attribute ({@code NLA_F_NESTED} set); returns its offset for {@link #endNest}. */
    public int beginNest(int type) {
        header(type | Nl.NLA_F_NESTED, 0);
        return pos - Nl.NLA_HDRLEN;
    }

    /** Opens a nest without {@code NLA_F_NESTED}, as iproute2 does for some attributes. */
    public int beginPlainNest(int type) {
        header(type, 0);
        return pos - Nl.NLA_HDRLEN;
    }

    /** Closes the nest opened at {@code start}; its length includes its children's padding. */
    public void endNest(int start) {
        pad();
        int len = pos - start;
        if (len > 0xffff) {
            throw new IllegalArgumentException("nested attribute too long: " + len + " bytes");
        }
        put16At(start, len);
    }
}
