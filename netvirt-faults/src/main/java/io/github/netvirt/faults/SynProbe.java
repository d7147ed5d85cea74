package io.github.netvirt.faults;

import com.sun.jna.LastErrorException;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.LibC;
import io.github.netvirt.netns.internal.Require;
import io.github.netvirt.netns.internal.Sys;
import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.sys.SyscallException;
import io.github.netvirt.tap.packet.Checksum;
import io.github.netvirt.tap.packet.TcpHeader;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A TCP probe that never completes a handshake. A connection whose handshake completed is queued
 * for {@code accept()} by the server's kernel even when the client resets it at once (measured:
 * the server's first {@code accept()} returns the reset probe), so a probe by {@code connect()}
 * steals the server's first accept. This one sends a bare SYN from a raw socket and reads the
 * answer: a SYN-ACK means a server listens, a RST that nothing does. The probing namespace's own
 * kernel answers the SYN-ACK with a RST (the source port is held by a bound, unconnected socket, so
 * no other connection can use it and the kernel finds no socket for the reply), which drops the
 * server's half-open request before it could reach the accept queue.
 */
final class SynProbe {
    private static final int IPPROTO_TCP = 6;
    /** A lost SYN is sent again after this long (the kernel's own first retransmission waits 1 s). */
    private static final long RESEND_NANOS = 200_000_000L;

    private SynProbe() {}

    static Probe probe(String fromName, String target, NetNamespace from, InetSocketAddress to, Duration timeout) {
        long start = System.nanoTime();
        InetAddress dst = to.getAddress();
        boolean v4 = dst instanceof Inet4Address;
        InetAddress src;
        try (DatagramChannel route = from.openDatagramChannel()) {
            route.connect(to); // no packet: asks the kernel which source address it would use
            src = ((InetSocketAddress) route.getLocalAddress()).getAddress();
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            return probe(
                    fromName, target, to, m.contains("unreachable") ? Outcome.UNREACHABLE : Outcome.ERROR, start, m);
        }
        int fd;
        try {
            fd = from.inside(() -> Sys.socket(v4 ? LibC.AF_INET : LibC.AF_INET6, LibC.SOCK_RAW, IPPROTO_TCP));
        } catch (SyscallException e) {
            if (e.errno() == Errno.EPERM.code() || e.errno() == Errno.EACCES.code()) {
                // no probe will ever go out: not a failure of the path to wait out
                throw new IllegalStateException(
                        e.getMessage() + ": a TCP SYN probe sends from a raw socket, which needs CAP_NET_RAW in "
                                + from,
                        e);
            }
            return probe(fromName, target, to, Outcome.ERROR, start, e.toString());
        } catch (InterruptedException e) {
            // inside() made no socket; the interrupt is the caller's, as after the channel above
            Thread.currentThread().interrupt();
            return probe(fromName, target, to, Outcome.ERROR, start, e.toString());
        } catch (Exception e) {
            return probe(fromName, target, to, Outcome.ERROR, start, e.toString());
        }
        try (SocketChannel hold = from.openSocketChannel()) {
            hold.bind(new InetSocketAddress(src, 0));
            int sport = ((InetSocketAddress) hold.getLocalAddress()).getPort();
            byte[] srcAddr = sockaddr(src, 0);
            LibC.bind(fd, srcAddr, srcAddr.length);
            int seq = ThreadLocalRandom.current().nextInt();
            byte[] syn = syn(src, dst, sport, to.getPort(), seq);
            byte[] dstAddr = sockaddr(dst, 0);
            byte[] buf = new byte[2048];
            byte[] pollfd = new byte[8];
            // the timeout is for the answer: the three sockets above may take a while on a loaded machine
            long deadline = System.nanoTime() + Require.waitNanos(timeout, "timeout");
            while (true) {
                LibC.sendto(fd, syn, syn.length, 0, dstAddr, dstAddr.length);
                long resendAt = Math.min(deadline, System.nanoTime() + RESEND_NANOS);
                while (true) {
                    long left = resendAt - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    ByteBuffer.wrap(pollfd)
                            .order(ByteOrder.nativeOrder())
                            .putInt(fd)
                            .putShort(LibC.POLLIN)
                            .putShort((short) 0);
                    int ready = LibC.poll(pollfd, 1, (int) Math.max(1, left / 1_000_000));
                    if (ready < 0) {
                        throw new LastErrorException(LibC.errno());
                    }
                    if (ready == 0) {
                        continue;
                    }
                    int n = (int) LibC.recvfrom(fd, buf, buf.length, 0, null, null);
                    int flags = answer(buf, n, v4, dst, to.getPort(), sport, seq);
                    if ((flags & TcpHeader.RST) != 0) {
                        return probe(fromName, target, to, Outcome.REFUSED, start, "RST");
                    }
                    if ((flags & (TcpHeader.SYN | TcpHeader.ACK)) == (TcpHeader.SYN | TcpHeader.ACK)) {
                        return probe(fromName, target, to, Outcome.LISTENING, start, null);
                    }
                }
                if (deadline - System.nanoTime() <= 0) {
                    return probe(fromName, target, to, Outcome.TIMEOUT, start, null);
                }
            }
        } catch (LastErrorException e) {
            Errno errno = Errno.of(e.getErrorCode());
            Outcome o = errno == Errno.ENETUNREACH || errno == Errno.EHOSTUNREACH
                    ? Outcome.UNREACHABLE
                    : errno == Errno.ECONNREFUSED ? Outcome.REFUSED : Outcome.ERROR;
            return probe(fromName, target, to, o, start, Errno.describe(e.getErrorCode()));
        } catch (Exception e) {
            return probe(fromName, target, to, Outcome.ERROR, start, e.toString());
        } finally {
            Sys.closeQuietly(fd);
        }
    }

    /**
     * The TCP flags of {@code packet} when it answers our SYN (from {@code dst:dport} to
     * {@code sport}, acknowledging {@code seq + 1}), else 0. An IPv4 raw socket reads the IP header
     * too; an IPv6 one only the TCP segment, and its source then is not checked (the ports and the
     * acknowledgement number of a random sequence number are).
     */
    private static int answer(byte[] packet, int n, boolean v4, InetAddress dst, int dport, int sport, int seq) {
        int off = 0;
        if (v4) {
            if (n < 20) {
                return 0;
            }
            off = (packet[0] & 0x0f) * 4;
            if (!Arrays.equals(packet, 12, 16, dst.getAddress(), 0, 4)) {
                return 0;
            }
        }
        if (n < off + 20) {
            return 0;
        }
        TcpHeader tcp = new TcpHeader().wrap(ByteBuffer.wrap(packet, 0, n), off);
        if (tcp.sourcePort() != dport || tcp.destinationPort() != sport || (int) tcp.acknowledgment() != seq + 1) {
            return 0;
        }
        return tcp.flags();
    }

    private static byte[] syn(InetAddress src, InetAddress dst, int sport, int dport, int seq) {
        ByteBuffer tcp = ByteBuffer.allocate(20);
        tcp.putShort((short) sport)
                .putShort((short) dport)
                .putInt(seq)
                .putInt(0)
                .put((byte) (5 << 4))
                .put((byte) TcpHeader.SYN)
                .putShort((short) 64240)
                .putShort((short) 0)
                .putShort((short) 0);
        byte[] seg = tcp.array();
        byte[] s = src.getAddress();
        byte[] d = dst.getAddress();
        ByteBuffer pseudo = ByteBuffer.allocate(s.length + d.length + 8 + seg.length);
        pseudo.put(s).put(d);
        if (s.length == 4) {
            pseudo.put((byte) 0).put((byte) IPPROTO_TCP).putShort((short) seg.length);
        } else {
            pseudo.putInt(seg.length).put(new byte[3]).put((byte) IPPROTO_TCP);
        }
        pseudo.put(seg);
        int sum = Checksum.internet(pseudo, 0, pseudo.position());
        seg[16] = (byte) (sum >> 8);
        seg[17] = (byte) sum;
        return seg;
    }

    /** {@code struct sockaddr_in} or {@code sockaddr_in6}. */
    private static byte[] sockaddr(InetAddress a, int port) {
        boolean v4 = a instanceof Inet4Address;
        ByteBuffer b = ByteBuffer.allocate(v4 ? 16 : 28);
        b.order(ByteOrder.nativeOrder()).putShort((short) (v4 ? LibC.AF_INET : LibC.AF_INET6));
        b.order(ByteOrder.BIG_ENDIAN).putShort((short) port);
        if (v4) {
            b.put(a.getAddress());
        } else {
            b.putInt(0).put(a.getAddress());
            b.order(ByteOrder.nativeOrder()).putInt(((Inet6Address) a).getScopeId());
        }
        return b.array();
    }

    private static Probe probe(String from, String target, InetSocketAddress to, Outcome o, long start, String detail) {
        return new Probe(from, target, to, o, Duration.ofNanos(System.nanoTime() - start), detail);
    }
}
