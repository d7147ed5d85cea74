package io.github.netvirt.netlink.codec;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

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
    }

    /** Forgets everything written; the buffer is kept. */
    public void reset() {
        buf.clear();
    }

    /** Bytes written so far. */
    public int position() {
        return buf.position();
    }

    /** Discards what was written after {@code position} (e.g. a request that failed validation). */
    public void truncate(int position) {
        buf.position(position);
    }

    /** The backing direct buffer; bytes {@code [0, position())} are the encoded messages. It changes when it grows. */
    public ByteBuffer buffer() {
        return buf;
    }

    /** A copy of the bytes written so far. */
    public byte[] toByteArray() {
        byte[] out = new byte[buf.position()];
        ByteBuffer d = buf.duplicate();
        d.flip();
        d.get(out);
        return out;
    }

    private void ensure(int more) {
        if (buf.remaining() >= more) {
            return;
        }
        int cap = buf.capacity();
        while (cap - buf.position() < more) {
            cap *= 2;
        }
        ByteBuffer bigger = (buf.isDirect() ? ByteBuffer.allocateDirect(cap) : ByteBuffer.allocate(cap))
                .order(ByteOrder.nativeOrder());
        buf.flip();
        bigger.put(buf);
        buf = bigger;
    }

    private void pad() {
        int p = buf.position();
        int a = Nl.align(p);
        ensure(a - p);
        while (buf.position() < a) {
            buf.put((byte) 0);
        }
    }

    // ------------------------------------------------------------ messages

    /** Starts a message; returns its offset, to pass to {@link #end}. */
    public int begin(int type, int flags, int seq, int pid) {
        pad();
        ensure(Nl.NLMSG_HDRLEN);
        int start = buf.position();
        buf.putInt(0).putShort((short) type).putShort((short) flags).putInt(seq).putInt(pid);
        return start;
    }

    /** Finishes the message started at {@code start}: writes its length and pads to 4 bytes. */
    public void end(int start) {
        buf.putInt(start, buf.position() - start);
        pad();
    }

    public void ifinfomsg(int family, int type, int index, int flags, int change) {
        ensure(Nl.IFINFOMSG_LEN);
        buf.put((byte) family)
                .put((byte) 0)
                .putShort((short) type)
                .putInt(index)
                .putInt(flags)
                .putInt(change);
    }

    public void ifaddrmsg(int family, int prefixLen, int flags, int scope, int index) {
        ensure(Nl.IFADDRMSG_LEN);
        buf.put((byte) family)
                .put((byte) prefixLen)
                .put((byte) flags)
                .put((byte) scope)
                .putInt(index);
    }

    public void rtmsg(
            int family, int dstLen, int srcLen, int tos, int table, int protocol, int scope, int type, int flags) {
        ensure(Nl.RTMSG_LEN);
        buf.put((byte) family)
                .put((byte) dstLen)
                .put((byte) srcLen)
                .put((byte) tos)
                .put((byte) table)
                .put((byte) protocol)
                .put((byte) scope)
                .put((byte) type)
                .putInt(flags);
    }

    public void ndmsg(int family, int ifindex, int state, int flags, int type) {
        ensure(Nl.NDMSG_LEN);
        familyAndIndex(family, ifindex)
                .putShort((short) state)
                .put((byte) flags)
                .put((byte) type);
    }

    /** {@code struct tcmsg}: family, ifindex, handle, parent, info (a filter's priority and protocol). */
    public void tcmsg(int family, int ifindex, int handle, int parent, int info) {
        ensure(Nl.TCMSG_LEN);
        familyAndIndex(family, ifindex).putInt(handle).putInt(parent).putInt(info);
    }

    /** The start {@code ndmsg} and {@code tcmsg} share: the family, three bytes of padding, the ifindex. */
    private ByteBuffer familyAndIndex(int family, int ifindex) {
        return buf.put((byte) family).put((byte) 0).putShort((short) 0).putInt(ifindex);
    }

    /**
     * Raw bytes, padded, without an attribute header: a fixed struct at the start of a nest, as
     * netem's {@code TCA_OPTIONS} begins with {@code struct tc_netem_qopt}.
     */
    public void raw(byte[] bytes) {
        pad();
        ensure(bytes.length + 3);
        buf.put(bytes);
        pad();
    }

    // ------------------------------------------------------------ attributes

    private void header(int type, int payloadLen) {
        if (payloadLen > 0xffff - Nl.NLA_HDRLEN) {
            throw new IllegalArgumentException("attribute " + type + " too long: " + payloadLen + " bytes");
        }
        pad();
        ensure(Nl.NLA_HDRLEN + payloadLen + 3);
        buf.putShort((short) (Nl.NLA_HDRLEN + payloadLen)).putShort((short) type);
    }

    public void u8(int type, int value) {
        header(type, 1);
        buf.put((byte) value);
        pad();
    }

    public void u16(int type, int value) {
        header(type, 2);
        buf.putShort((short) value);
        pad();
    }

    /** A 16-bit value in network byte order (ports). */
    public void be16(int type, int value) {
        header(type, 2);
        buf.put((byte) (value >>> 8)).put((byte) value);
        pad();
    }

    public void u32(int type, int value) {
        header(type, 4);
        buf.putInt(value);
        pad();
    }

    /** A 32-bit value in network byte order (nf_tables sends all its integers so). */
    public void be32(int type, int value) {
        header(type, 4);
        buf.put((byte) (value >>> 24))
                .put((byte) (value >>> 16))
                .put((byte) (value >>> 8))
                .put((byte) value);
        pad();
    }

    /** A 64-bit value in network byte order (nf_tables handles and counters). */
    public void be64(int type, long value) {
        header(type, 8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf.put((byte) (value >>> shift));
        }
        pad();
    }

    public void u64(int type, long value) {
        header(type, 8);
        buf.putLong(value);
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
        buf.put(b).put((byte) 0);
        pad();
    }

    /** A string without its NUL ({@code NLA_STRING} accepts both; iproute2 sends kinds and aliases so). */
    public void stringNoNul(int type, String value) {
        bytes(type, value.getBytes(StandardCharsets.UTF_8));
    }

    public void bytes(int type, byte[] value) {
        header(type, value.length);
        buf.put(value);
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
        return buf.position() - Nl.NLA_HDRLEN;
    }

    /** Opens a nest without {@code NLA_F_NESTED}, as iproute2 does for some attributes. */
    public int beginPlainNest(int type) {
        header(type, 0);
        return buf.position() - Nl.NLA_HDRLEN;
    }

    /** Closes the nest opened at {@code start}; its length includes its children's padding. */
    public void endNest(int start) {
        pad();
        int len = buf.position() - start;
        if (len > 0xffff) {
            throw new IllegalArgumentException("nested attribute too long: " + len + " bytes");
        }
        buf.putShort(start, (short) len);
    }
}
