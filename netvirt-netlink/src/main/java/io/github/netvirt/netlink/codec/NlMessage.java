package io.github.netvirt.netlink.codec;

import java.nio.ByteBuffer;

/**
 * One netlink message inside a received buffer: its header fields and where its payload lies. A view,
 * valid while the buffer is not reused.
 */
public final class NlMessage {
    private final ByteBuffer buf;
    private final int offset;
    private final int length;

    NlMessage(ByteBuffer buf, int offset, int length) {
        this.buf = buf;
        this.offset = offset;
        this.length = length;
    }

    public ByteBuffer buffer() {
        return buf;
    }

    /** Offset of the header in {@link #buffer()}. */
    public int offset() {
        return offset;
    }

    /** {@code nlmsg_len}: header plus payload. */
    public int length() {
        return length;
    }

    public int type() {
        return Short.toUnsignedInt(buf.getShort(offset + 4));
    }

    public int flags() {
        return Short.toUnsignedInt(buf.getShort(offset + 6));
    }

    public int seq() {
        return buf.getInt(offset + 8);
    }

    public int pid() {
        return buf.getInt(offset + 12);
    }

    public int payloadOffset() {
        return offset + Nl.NLMSG_HDRLEN;
    }

    public int payloadLength() {
        return length - Nl.NLMSG_HDRLEN;
    }

    public int end() {
        return offset + length;
    }

    /** Checks that the payload holds at least a {@code size}-byte fixed header. */
    public void requirePayload(int size, String what) {
        if (payloadLength() < size) {
            throw new MalformedMessageException(Nl.typeName(type()) + ": payload of " + payloadLength()
                    + " bytes is shorter than " + what + " (" + size + " bytes)");
        }
    }

    /**
     * The payload's fixed header ({@code ifinfomsg}, {@code rtmsg}, ...): a view of its {@code size}
     * bytes, index 0 at its start, in the buffer's byte order.
     *
     * @throws MalformedMessageException if the payload is shorter than {@code size}
     */
    public ByteBuffer fixedHeader(int size, String what) {
        requirePayload(size, what);
        return buf.slice(payloadOffset(), size).order(buf.order());
    }

    /** The attributes that follow a fixed header of {@code headerSize} bytes. */
    public NlAttrs attrs(int headerSize) {
        requirePayload(headerSize, "its fixed header");
        return NlAttrs.parse(buf, payloadOffset() + Nl.align(headerSize), end());
    }

    @Override
    public String toString() {
        return Nl.typeName(type()) + "[len=" + length + ", flags=0x" + Integer.toHexString(flags()) + ", seq=" + seq()
                + ", pid=" + pid() + "]";
    }
}
