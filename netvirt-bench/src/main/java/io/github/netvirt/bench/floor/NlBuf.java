package io.github.netvirt.bench.floor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Hand-encoded rtnetlink messages, back to back in one buffer: just enough for the star. */
final class NlBuf {
    static final int RTM_NEWLINK = 16;
    static final int RTM_GETLINK = 18;
    static final int RTM_NEWADDR = 20;
    static final int NLM_F_REQUEST = 1;
    static final int NLM_F_ACK = 4;
    static final int NLM_F_EXCL = 0x200;
    static final int NLM_F_CREATE = 0x400;
    static final int CREATE = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
    static final int IFF_UP = 1;
    static final int IFLA_IFNAME = 3;
    static final int IFLA_MASTER = 10;
    static final int IFLA_LINKINFO = 18;
    static final int IFLA_NET_NS_FD = 28;
    static final int IFLA_INFO_KIND = 1;
    static final int IFLA_INFO_DATA = 2;
    static final int VETH_INFO_PEER = 1;
    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int NLA_F_NESTED = 0x8000;

    final ByteBuffer b;
    private int msgStart;
    private int seq;

    NlBuf(int capacity) {
        b = ByteBuffer.allocate(capacity).order(ByteOrder.nativeOrder());
    }

    void clear() {
        b.clear();
    }

    int length() {
        return b.position();
    }

    byte[] array() {
        return b.array();
    }

    NlBuf begin(int type, int flags) {
        msgStart = b.position();
        b.putInt(0).putShort((short) type).putShort((short) flags).putInt(++seq).putInt(0);
        return this;
    }

    NlBuf end() {
        b.putInt(msgStart, b.position() - msgStart);
        return this;
    }

    NlBuf ifinfomsg(int index, int flags, int change) {
        b.put((byte) 0)
                .put((byte) 0)
                .putShort((short) 0)
                .putInt(index)
                .putInt(flags)
                .putInt(change);
        return this;
    }

    NlBuf ifaddrmsg(int family, int prefixLen, int index) {
        b.put((byte) family).put((byte) prefixLen).put((byte) 0).put((byte) 0).putInt(index);
        return this;
    }

    NlBuf str(int type, String s) {
        byte[] v = s.getBytes(StandardCharsets.US_ASCII);
        b.putShort((short) (4 + v.length + 1)).putShort((short) type).put(v).put((byte) 0);
        return pad();
    }

    NlBuf u32(int type, int v) {
        b.putShort((short) 8).putShort((short) type).putInt(v);
        return this;
    }

    NlBuf bytes(int type, byte[] v) {
        b.putShort((short) (4 + v.length)).putShort((short) type).put(v);
        return pad();
    }

    int nest(int type) {
        int at = b.position();
        b.putShort((short) 0).putShort((short) (type | NLA_F_NESTED));
        return at;
    }

    NlBuf endNest(int at) {
        b.putShort(at, (short) (b.position() - at));
        return this;
    }

    private NlBuf pad() {
        while ((b.position() & 3) != 0) {
            b.put((byte) 0);
        }
        return this;
    }
}
