package io.github.netvirt.bench.floor;

import io.github.netvirt.netns.internal.LibC;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** A NETLINK_ROUTE socket with nothing around it: send a buffer of requests, count their acks. */
final class RawNetlink implements AutoCloseable {
    private static final int NLMSG_ERROR = 2;
    private final int fd;
    private final byte[] rx = new byte[65536];
    private final ByteBuffer rxb = ByteBuffer.wrap(rx).order(ByteOrder.nativeOrder());

    /** Opens a socket in the calling thread's namespace. */
    RawNetlink() {
        fd = LibC.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, 0);
    }

    int fd() {
        return fd;
    }

    void send(NlBuf m) {
        LibC.sendto(fd, m.array(), m.length(), 0, null, 0);
    }

    /** Reads until {@code count} acks have arrived; throws on the first error ack. */
    void acks(int count) throws IOException {
        int seen = 0;
        while (seen < count) {
            int n = (int) LibC.recvfrom(fd, rx, rx.length, 0, null, null);
            for (int off = 0; off + 16 <= n; ) {
                int len = rxb.getInt(off);
                int type = rxb.getShort(off + 4);
                if (type == NLMSG_ERROR) {
                    int err = rxb.getInt(off + 16);
                    if (err != 0) {
                        throw new IOException(
                                "netlink request seq " + rxb.getInt(off + 16 + 4 + 8) + " failed: errno " + -err);
                    }
                    seen++;
                }
                off += (len + 3) & ~3;
                if (len < 16) {
                    break;
                }
            }
        }
    }

    /** The index of link {@code name} in this socket's namespace. */
    int linkIndex(NlBuf m, String name) throws IOException {
        m.clear();
        m.begin(NlBuf.RTM_GETLINK, NlBuf.NLM_F_REQUEST)
                .ifinfomsg(0, 0, 0)
                .str(NlBuf.IFLA_IFNAME, name)
                .end();
        send(m);
        int n = (int) LibC.recvfrom(fd, rx, rx.length, 0, null, null);
        if (n < 32) {
            throw new IOException("short GETLINK reply");
        }
        if (rxb.getShort(4) == NLMSG_ERROR) {
            throw new IOException("GETLINK " + name + ": errno " + -rxb.getInt(16));
        }
        return rxb.getInt(16 + 4);
    }

    @Override
    public void close() {
        LibC.close(fd);
    }
}
