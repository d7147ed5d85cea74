package io.github.netvirt.faults.rtnl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * One rtnetlink request being encoded: the 16-byte header, the family struct, then attributes on
 * 4-byte boundaries (the padding written, {@code nla_len} excluding it). Pure Java, host byte order.
 */
public final class NlRequest {
    public static final int NLM_F_REQUEST = 1;
    public static final int NLM_F_ACK = 4;
    public static final int NLM_F_REPLACE = 0x100;
    public static final int NLM_F_EXCL = 0x200;
    public static final int NLM_F_CREATE = 0x400;
    public static final int NLM_F_DUMP = 0x300;
    static final int NLA_F_NESTED = 0x8000;

    private ByteBuffer buf = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
    private final Deque<Integer> nests = new ArrayDeque<>();

    public NlRequest(int type, int flags) {
        buf.putInt(0).putShort((short) type).putShort((short) flags).putInt(0).putInt(0);
    }

    public int type() {
        return buf.getShort(4) & 0xffff;
    }

    public int flags() {
        return buf.getShort(6) & 0xffff;
    }

    /** Raw struct bytes (ifinfomsg, tcmsg...), padded to 4. */
    public NlRequest struct(byte[] bytes) {
        ensure(bytes.length + 4);
        buf.put(bytes);
        pad();
        return this;
    }

    public NlRequest attr(int type, byte[] payload) {
        ensure(payload.length + 8);
        buf.putShort((short) (4 + payload.length)).putShort((short) type).put(payload);
        pad();
        return this;
    }

    public NlRequest attrU32(int type, int value) {
        return attr(type, le(4).putInt(value).array());
    }

    public NlRequest attrU64(int type, long value) {
        return attr(type, le(8).putLong(value).array());
    }

    public NlRequest attrString(int type, String value) {
        byte[] s = value.getBytes(StandardCharsets.UTF_8);
        return attr(type, Arrays.copyOf(s, s.length + 1));
    }

    public NlRequest beginNest(int type) {
        ensure(4);
        nests.push(buf.position());
        buf.putShort((short) 0).putShort((short) (type | NLA_F_NESTED));
        return this;
    }

    /** Opens a "compat" nest without NLA_F_NESTED: netem's TCA_OPTIONS is a struct followed by attributes. */
    public NlRequest beginPlainNest(int type) {
        ensure(4);
        nests.push(buf.position());
        buf.putShort((short) 0).putShort((short) type);
        return this;
    }

    public NlRequest endNest() {
        int start = nests.pop();
        buf.putShort(start, (short) (buf.position() - start));
        return this;
    }

    /** The message with length and sequence number filled in. */
    public byte[] encode(int seq) {
        if (!nests.isEmpty()) {
            throw new IllegalStateException("unclosed nested attribute");
        }
        buf.putInt(0, buf.position());
        buf.putInt(8, seq);
        return Arrays.copyOf(buf.array(), buf.position());
    }

    static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
    }

    private void pad() {
        while ((buf.position() & 3) != 0) {
            buf.put((byte) 0);
        }
    }

    private void ensure(int more) {
        if (buf.remaining() < more + 4) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + more + 64))
                    .order(ByteOrder.nativeOrder());
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }
    }
}
