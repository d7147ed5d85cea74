package io.github.netvirt.tap;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.github.netvirt.netns.internal.LibC;
import java.nio.ByteBuffer;

/**
 * One {@code recvmsg} of a packet socket at a time, into memory made once: the frame, where it came
 * from ({@code sockaddr_ll}), its kernel time ({@code SO_TIMESTAMPNS}) and its {@code
 * tpacket_auxdata} (length on the device, VLAN tag), as libpcap reads them. Not thread-safe.
 */
final class CapturedFrame implements AutoCloseable {
    private static final int PACKET_OUTGOING = 4;
    /** The SO_TIMESTAMPNS_NEW control message of a socket that asked for 64-bit times everywhere. */
    private static final int SO_TIMESTAMPNS_NEW = 64;

    private static final int TP_STATUS_VLAN_VALID = 0x10;
    private static final int TP_STATUS_VLAN_TPID_VALID = 0x40;
    private static final int ETH_P_8021Q = 0x8100;
    private static final int TAG = 4;
    private static final int MACS = 12;

    // struct msghdr (LP64): name, namelen, iov, iovlen, control, controllen, flags
    private static final int MSG_NAME = 0;
    private static final int MSG_NAMELEN = 8;
    private static final int MSG_IOV = 16;
    private static final int MSG_IOVLEN = 24;
    private static final int MSG_CONTROL = 32;
    private static final int MSG_CONTROLLEN = 40;
    private static final int MSG_FLAGS = 48;
    private static final int IOV = 56;
    private static final int SLL = 72;
    private static final int SLL_SIZE = 20;
    private static final int CONTROL = 96;
    private static final int CONTROL_SIZE = 128;

    private final int snaplen;
    private final Memory header = new Memory(CONTROL + CONTROL_SIZE);
    /** A tag's room in front, then up to {@code snaplen} bytes of the frame. */
    private final Memory data;

    private final ByteBuffer view;
    private final byte[] macs = new byte[MACS];

    private int caught;
    private int original;
    private long nanos;
    private int status;
    private int tci;
    private int tpid;

    CapturedFrame(int snaplen) {
        this.snaplen = snaplen;
        this.data = new Memory(TAG + snaplen);
        this.view = data.getByteBuffer(0, data.size());
        long h = Pointer.nativeValue(header);
        header.clear();
        header.setLong(MSG_NAME, h + SLL);
        header.setLong(MSG_IOV, h + IOV);
        header.setLong(MSG_IOVLEN, 1);
        header.setLong(MSG_CONTROL, h + CONTROL);
        header.setLong(IOV, Pointer.nativeValue(data) + TAG);
        header.setLong(IOV + 8, snaplen);
    }

    /**
     * Receives the next frame: its length on the device, or -1 with errno set ({@link LibC#errno()}).
     * With {@code MSG_TRUNC} the kernel answers the whole length even when fewer bytes fit.
     */
    long receive(int fd) {
        header.setInt(MSG_NAMELEN, SLL_SIZE);
        header.setLong(MSG_CONTROLLEN, CONTROL_SIZE);
        header.setInt(MSG_FLAGS, 0);
        long n = LibC.recvmsg(fd, Pointer.nativeValue(header), LibC.MSG_TRUNC);
        if (n < 0) {
            return n;
        }
        caught = (int) Math.min(n, snaplen);
        original = (int) Math.min(n, Integer.MAX_VALUE);
        nanos = -1;
        status = 0;
        tci = 0;
        tpid = 0;
        long controlLength = header.getLong(MSG_CONTROLLEN);
        for (long at = 0; at + 16 <= controlLength; ) {
            long length = header.getLong(CONTROL + at); // struct cmsghdr {size_t len; int level; int type}
            if (length < 16) {
                break;
            }
            int level = header.getInt(CONTROL + at + 8);
            int type = header.getInt(CONTROL + at + 12);
            long body = CONTROL + at + 16;
            if (level == LibC.SOL_SOCKET && (type == LibC.SO_TIMESTAMPNS || type == SO_TIMESTAMPNS_NEW)) {
                nanos = header.getLong(body) * 1_000_000_000L + header.getLong(body + 8);
            } else if (level == LibC.SOL_PACKET && type == LibC.PACKET_AUXDATA) {
                status = header.getInt(body); // struct tpacket_auxdata
                original = header.getInt(body + 4);
                tci = header.getShort(body + 16) & 0xffff;
                tpid = header.getShort(body + 18) & 0xffff;
            }
            at += (length + 7) & ~7L;
        }
        return original;
    }

    /** The frame left the device (as opposed to arriving at it or passing it by). */
    boolean outgoing() {
        return (header.getByte(SLL + 10) & 0xff) == PACKET_OUTGOING;
    }

    /** Nanoseconds since 1970 when the kernel saw the frame, or -1 when it gave no time. */
    long nanos() {
        return nanos;
    }

    /** The frame's length on the device, its tag included. */
    int originalLength() {
        return hasTag() ? original + TAG : original;
    }

    /**
     * The bytes received, from position to limit. On an Ethernet device, a tag the kernel carried
     * beside the frame (it takes it out on the way in, and a device that inserts tags itself gets it
     * so on the way out) is put back after the MAC addresses, where it was on the wire.
     */
    ByteBuffer frame(boolean ethernet) {
        if (!ethernet || !hasTag() || caught < MACS) {
            return view.limit(TAG + caught).position(TAG);
        }
        data.read(TAG, macs, 0, MACS);
        data.write(0, macs, 0, MACS);
        int id = (status & TP_STATUS_VLAN_TPID_VALID) != 0 ? tpid : ETH_P_8021Q;
        data.setByte(MACS, (byte) (id >>> 8));
        data.setByte(MACS + 1, (byte) id);
        data.setByte(MACS + 2, (byte) (tci >>> 8));
        data.setByte(MACS + 3, (byte) tci);
        return view.limit(TAG + caught).position(0);
    }

    private boolean hasTag() {
        return tci != 0 || (status & TP_STATUS_VLAN_VALID) != 0;
    }

    @Override
    public void close() {
        header.close();
        data.close();
    }
}
