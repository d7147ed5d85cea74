package io.github.netvirt.netlink.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a received datagram into messages, never trusting a length: a message shorter than its
 * header, longer than what is left, or a trailing fragment gives a {@link MalformedMessageException}.
 */
public final class NlReader {
    private final ByteBuffer buf;
    private final int end;
    private int pos;

    /** Reads messages from {@code buf[offset, offset+length)}; {@code buf} must be in native byte order. */
    public NlReader(ByteBuffer buf, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > buf.capacity()) {
            throw new IllegalArgumentException(
                    "range [" + offset + ", " + (offset + length) + ") outside a buffer of " + buf.capacity());
        }
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
    }

    public boolean hasNext() {
        return pos < end;
    }

    public NlMessage next() {
        int left = end - pos;
        if (left < Nl.NLMSG_HDRLEN) {
            throw new MalformedMessageException("truncated netlink header: " + left + " bytes left");
        }
        int len = buf.getInt(pos);
        if (len < Nl.NLMSG_HDRLEN) {
            throw new MalformedMessageException(
                    "nlmsg_len " + Integer.toUnsignedString(len) + " shorter than the header");
        }
        if (len > left) {
            throw new MalformedMessageException("nlmsg_len " + len + " exceeds the " + left + " bytes received");
        }
        NlMessage m = new NlMessage(buf, pos, len);
        // the last message may omit its padding
        pos = Math.min(end, pos + Nl.align(len));
        return m;
    }

    /** All messages of {@code bytes} (a convenience for tests and tools). */
    public static List<NlMessage> parseAll(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        NlReader r = new NlReader(b, 0, bytes.length);
        List<NlMessage> out = new ArrayList<>();
        while (r.hasNext()) {
            out.add(r.next());
        }
        return out;
    }
}
