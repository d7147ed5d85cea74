package io.github.netvirt.netlink;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.NetnsException;
import io.github.netvirt.netns.internal.LibC;
import io.github.netvirt.netns.internal.Sys;
import io.github.netvirt.netns.internal.Uninterrupted;
import io.github.netvirt.netns.internal.WakeableFd;
import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.sys.SyscallException;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A NETLINK_ROUTE socket created inside a namespace (an fd keeps the namespace it was made in), with
 * a direct receive buffer; a {@link WakeableFd} lets {@link #wakeup()} unblock a waiting reader.
 * Not thread-safe: {@link NetlinkHandle} and {@link EventSubscription} serialise access.
 *
 * <p>A socket dropped without {@link #close()} (its handle, channel or subscription dropped) has its
 * fds closed by a {@link Cleaner} once it is collected: an open socket holds its namespace, which
 * would otherwise live, unseen, as long as the JVM. Each method that hands the fd to the kernel keeps
 * the socket reachable until the call returns, so the Cleaner never closes the fd under it.
 */
final class NetlinkSocket implements AutoCloseable {
    /** Dump datagrams are at most 32 KiB (the kernel caps them so); single messages are smaller. */
    static final int RECV_BUFFER = 64 * 1024;

    /** The end of the receive buffer that holds the sender's address (sockaddr_nl and its socklen). */
    private static final int SENDER_BYTES = 16;

    static final int KERNEL_RCVBUF = 8 * 1024 * 1024;
    static final int KERNEL_SNDBUF = 2 * 1024 * 1024;
    private static final long SIOCGIFNAME = 0x8910;
    private static final long SIOCETHTOOL = 0x8946;
    private static final int ETHTOOL_GLINK = 0x0000000a;
    /**
     * Closes the fds of sockets dropped without close(). Its thread is started by whichever thread
     * first loads this class, maybe inside NetNamespace.call: it goes to the JVM's namespace first.
     */
    private static final Cleaner CLEANER = Cleaner.create(r -> NetNamespace.jvmThread(r, "netvirt-netlink-cleaner"));

    private final WakeableFd socket;
    private final int fd;
    private final int portId;
    private final ByteBuffer recv;
    private final long recvAddr;
    /** Closes {@link #socket} (the action holds it, not this socket); the receive buffer is left to the GC. */
    private final Cleaner.Cleanable cleanable;

    private volatile boolean closed;

    private NetlinkSocket(WakeableFd socket) {
        this.socket = socket;
        this.fd = socket.fd();
        this.recv = BufferPool.RECEIVE.take();
        this.recvAddr = address(recv);
        this.portId = bindAndConfigure();
        this.cleanable = CLEANER.register(this, socket::close);
    }

    static long address(ByteBuffer direct) {
        return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
    }

    /** Opens a socket in {@code ns} (the caller's namespace when null), subscribed to {@code groups}. */
    static NetlinkSocket open(NetNamespace ns, int... groups) {
        int fd;
        try {
            fd = ns == null ? newSocket() : ns.inside(NetlinkSocket::newSocket);
        } catch (Exception e) {
            throw socketFailure(ns == null ? "the caller's namespace" : ns.toString(), e);
        }
        return wrap(fd, groups);
    }

    /**
     * Opens a socket of another netlink {@code protocol} (e.g. NETLINK_NETFILTER) in {@code ns},
     * set up like the rtnetlink ones (extended acks, capped acks, large buffers).
     */
    static NetlinkSocket openProtocol(NetNamespace ns, int protocol) {
        int fd;
        try {
            fd = ns.inside(() -> Sys.socket(LibC.AF_NETLINK, LibC.SOCK_RAW, protocol));
        } catch (SyscallException e) {
            throw new NetlinkException("socket(AF_NETLINK, protocol " + protocol + ") in " + ns, e.errno(), null, e);
        } catch (Exception e) {
            throw socketFailure(ns.toString(), e);
        }
        return wrap(fd);
    }

    /**
     * Opens one socket in each of {@code namespaces}, all created in one hand-off to netvirt-netns's
     * switching threads ({@link NetNamespace#insideEach}). All or nothing.
     */
    static List<NetlinkSocket> openAll(List<NetNamespace> namespaces) {
        List<Integer> fds;
        try {
            fds = NetNamespace.insideEach(namespaces, ns -> newSocket());
        } catch (Exception e) {
            throw socketFailure(namespaces.size() + " namespaces", e);
        }
        List<NetlinkSocket> sockets = new ArrayList<>(fds.size());
        try {
            for (int fd : fds) {
                sockets.add(wrap(fd));
            }
            return sockets;
        } catch (RuntimeException e) {
            sockets.forEach(NetlinkSocket::close);
            fds.subList(sockets.size() + 1, fds.size()).forEach(Sys::closeQuietly);
            throw e;
        }
    }

    private static RuntimeException socketFailure(String where, Exception e) {
        if (e instanceof InterruptedException) {
            return Uninterrupted.cancellation("interrupted before the netlink socket was created in " + where, e);
        }
        if (e instanceof NetnsException ne) {
            return ne; // entering the namespace failed: errno, namespace and hint already told
        }
        if (e instanceof SyscallException se) {
            return new NetlinkException("socket(AF_NETLINK, NETLINK_ROUTE) in " + where, se.errno(), null, se);
        }
        if (e instanceof RuntimeException re) {
            return re;
        }
        return new NetlinkException("socket(AF_NETLINK) in " + where, Errno.EIO.code(), e.toString(), e);
    }

    /** Takes ownership of {@code fd}: closes it if the socket cannot be set up. */
    private static NetlinkSocket wrap(int fd, int... groups) {
        WakeableFd w = WakeableFd.of(fd);
        NetlinkSocket s;
        try {
            s = new NetlinkSocket(w);
        } catch (RuntimeException e) {
            w.close();
            throw e;
        }
        try {
            for (int g : groups) {
                s.addMembership(g);
            }
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    private static int newSocket() {
        int fd = Sys.socket(LibC.AF_NETLINK, LibC.SOCK_RAW, Nl.NETLINK_ROUTE);
        return fd;
    }

    /**
     * Binds and sets the socket up. The arguments go through the start of the receive buffer, idle
     * until the socket is handed out: sockaddr at 16, socklen at 32, an int option at 40.
     */
    private int bindAndConfigure() {
        // sockaddr_nl {family=AF_NETLINK, pad, pid=0 (kernel picks), groups=0}
        recv.putShort(16, (short) LibC.AF_NETLINK)
                .putShort(18, (short) 0)
                .putInt(20, 0)
                .putInt(24, 0);
        if (LibC.bind(fd, recvAddr + 16, 12) < 0) {
            throw new NetlinkException("bind(AF_NETLINK)", LibC.errno());
        }
        recv.putInt(32, 12);
        if (LibC.getsockname(fd, recvAddr + 16, recvAddr + 32) < 0) {
            throw new NetlinkException("getsockname(AF_NETLINK)", LibC.errno());
        }
        int pid = recv.getInt(20);
        setInt(Nl.SOL_NETLINK, Nl.NETLINK_EXT_ACK, 1, "NETLINK_EXT_ACK");
        setInt(Nl.SOL_NETLINK, Nl.NETLINK_CAP_ACK, 1, "NETLINK_CAP_ACK");
        // FORCE variants exceed rmem_max as root; fall back to the capped ones otherwise
        if (!trySetInt(LibC.SOL_SOCKET, LibC.SO_RCVBUFFORCE, KERNEL_RCVBUF)) {
            trySetInt(LibC.SOL_SOCKET, LibC.SO_RCVBUF, KERNEL_RCVBUF);
        }
        if (!trySetInt(LibC.SOL_SOCKET, LibC.SO_SNDBUFFORCE, KERNEL_SNDBUF)) {
            trySetInt(LibC.SOL_SOCKET, LibC.SO_SNDBUF, KERNEL_SNDBUF);
        }
        return pid;
    }

    /** Sets an int option while the socket is being set up (through the idle receive buffer). */
    private boolean trySetInt(int level, int name, int value) {
        recv.putInt(40, value);
        return LibC.setsockopt(fd, level, name, recvAddr + 40, 4) == 0;
    }

    private void setInt(int level, int name, int value, String what) {
        if (!trySetInt(level, name, value)) {
            throw new NetlinkException("setsockopt " + what, LibC.errno());
        }
    }

    /** Joins multicast {@code group} (tests: the uevent group, which echoes what a root process writes). */
    void addMembership(int group) {
        try {
            setInt(Nl.SOL_NETLINK, Nl.NETLINK_ADD_MEMBERSHIP, group, "NETLINK_ADD_MEMBERSHIP " + group);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Leaves multicast {@code group}: once this returns, the kernel queues none of its messages here. */
    void dropMembership(int group) {
        try {
            setInt(Nl.SOL_NETLINK, Nl.NETLINK_DROP_MEMBERSHIP, group, "NETLINK_DROP_MEMBERSHIP " + group);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Sets the netlink option {@code name} on or off after the socket was set up (not through the
     * receive buffer, which may hold what a reader has not decoded yet).
     */
    void setOption(int name, boolean on, String what) {
        setIntAfterSetUp(Nl.SOL_NETLINK, name, on ? 1 : 0, what);
    }

    /** Shrinks or grows the kernel's receive buffer (tests use a tiny one to provoke ENOBUFS). */
    void setReceiveBuffer(int bytes) {
        setIntAfterSetUp(LibC.SOL_SOCKET, LibC.SO_RCVBUF, bytes, "SO_RCVBUF");
    }

    private void setIntAfterSetUp(int level, int name, int value, String what) {
        try {
            LibC.setsockopt(fd, level, name, new int[] {value}, 4);
        } catch (LastErrorException e) {
            throw new NetlinkException("setsockopt " + what, e.getErrorCode());
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    int portId() {
        return portId;
    }

    ByteBuffer receiveBuffer() {
        return recv;
    }

    /**
     * Whether the socket's namespace has a link with ifindex {@code index}: {@code SIOCGIFNAME}, which
     * the kernel answers for any socket, in the socket's namespace.
     */
    boolean hasLink(int index) {
        try {
            // struct ifreq (the name, then ifr_ifindex at 16) in the receive buffer, idle between exchanges;
            // the no-exception ioctl: "no such device" is the answer sought, not a failure
            recv.putInt(16, index);
            if (LibC.ioctl(fd, SIOCGIFNAME, recvAddr) == 0) {
                return true;
            }
            int errno = LibC.errno();
            if (errno == Errno.ENODEV.code()) {
                return false;
            }
            throw new NetlinkException("SIOCGIFNAME " + index, errno, closed ? "socket closed" : null, -1);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Has the kernel finish a pending carrier change of the link named {@code name} now: the
     * {@code ETHTOOL_GLINK} ioctl ({@code ethtool DEV}'s "Link detected") runs the device's queued
     * linkwatch work synchronously (operational state, transmit qdisc, {@code NETDEV_CHANGE} to its
     * bridge). False when there is no such link or its driver has no link state to report.
     */
    boolean syncLink(String name) {
        try {
            // struct ifreq (the name, then ifr_data at 16) and the struct ethtool_value it points to at 64,
            // in the receive buffer, idle between exchanges
            byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 16; i++) {
                recv.put(i, i < bytes.length ? bytes[i] : 0);
            }
            recv.putLong(16, recvAddr + 64);
            recv.putInt(64, ETHTOOL_GLINK);
            recv.putInt(68, 0);
            if (LibC.ioctl(fd, SIOCETHTOOL, recvAddr) == 0) {
                return true;
            }
            int errno = LibC.errno();
            if (errno == Errno.ENODEV.code() || errno == Errno.EOPNOTSUPP.code()) {
                return false;
            }
            throw new NetlinkException("ETHTOOL_GLINK " + name, errno, closed ? "socket closed" : null, -1);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Sends {@code buf[0, len)} (one or more messages) to the kernel in one datagram. */
    void send(ByteBuffer buf, int len, Supplier<String> what) {
        try {
            long addr = address(buf);
            while (true) {
                long n = LibC.sendto(fd, addr, len, 0, 0L, 0);
                if (n >= 0) {
                    if (n != len) {
                        throw new NetlinkException(
                                what.get(), Errno.EIO.code(), "short send: " + n + " of " + len, null);
                    }
                    return;
                }
                int errno = LibC.errno();
                if (errno != Errno.EINTR.code()) {
                    throw new NetlinkException(what.get(), errno, closed ? "socket closed" : null, -1);
                }
            }
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Waits up to {@code deadlineNanos} (System.nanoTime) for a datagram from the kernel (sender port
     * 0; others are dropped) and reads it into the receive buffer. Returns its length, or -1 when
     * {@link #wakeup()} was called.
     *
     * @throws NetlinkException ETIMEDOUT, or ENOBUFS when the kernel dropped messages for lack of buffer
     */
    int receive(long deadlineNanos, Supplier<String> what) {
        try {
            while (true) {
                // try first, poll only when nothing is queued: acks of a pipelined batch are mostly waiting
                int n = receiveQueued(what);
                if (n >= 0) {
                    return n;
                }
                if (!await(deadlineNanos, what)) {
                    return -1;
                }
            }
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * As {@link #receive} without waiting: the length of the datagram read, or -1 when none is queued.
     *
     * @throws NetlinkException ENOBUFS when the kernel dropped messages for lack of buffer
     */
    int receiveQueued(Supplier<String> what) {
        try {
            // the sender's sockaddr_nl goes after the datagram, its socklen after that
            int from = recv.capacity() - SENDER_BYTES;
            while (true) {
                recv.putInt(from + 12, 12);
                long n = LibC.recvfrom(
                        fd, recvAddr, from, LibC.MSG_DONTWAIT | LibC.MSG_TRUNC, recvAddr + from, recvAddr + from + 12);
                if (n >= 0) {
                    if (recv.getInt(from + 4) != 0) {
                        continue; // another socket of the namespace sent it to our port: not the kernel's
                    }
                    if (n > from) {
                        throw new NetlinkException(
                                what.get(),
                                Errno.EMSGSIZE.code(),
                                "a " + n + "-byte datagram did not fit " + "in the " + from + "-byte receive buffer",
                                -1);
                    }
                    return (int) n;
                }
                int errno = LibC.errno();
                if (errno == Errno.EINTR.code()) {
                    continue;
                }
                if (errno == Errno.ENOBUFS.code()) {
                    throw new NetlinkException(
                            what.get(),
                            errno,
                            "the socket's receive buffer overflowed and the kernel "
                                    + "dropped messages; replies or events were lost",
                            -1);
                }
                if (errno != Errno.EAGAIN.code()) {
                    throw new NetlinkException(what.get(), errno, closed ? "socket closed" : "recvfrom failed", -1);
                }
                return -1;
            }
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Polls until the socket is readable (true) or {@link #wakeup()} was called (false); throws ETIMEDOUT. */
    private boolean await(long deadlineNanos, Supplier<String> what) {
        while (true) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                throw new NetlinkException(what.get(), Errno.ETIMEDOUT.code(), "no reply from the kernel in time", -1);
            }
            int ms = (int) Math.min(Integer.MAX_VALUE, Math.max(1, (left + 999_999) / 1_000_000));
            switch (socket.await(false, ms)) {
                case WakeableFd.READY:
                    return true;
                case WakeableFd.WOKEN:
                    return false;
                case WakeableFd.FAILED:
                    throw new NetlinkException(what.get(), LibC.errno(), "poll failed", -1);
                default:
                    break;
            }
        }
    }

    /** Makes a thread blocked in {@link #receive} return -1 (and every later call, until drained). */
    void wakeup() {
        socket.wakeup();
    }

    /** True once {@link #wakeup()} was called: the owner is closing, start nothing new. */
    boolean isWakeRequested() {
        return socket.isWoken();
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Closes the socket and the eventfd and gives the receive buffer back, once however many threads
     * call it. The owner makes sure no thread is still reading (see {@link #wakeup()}).
     */
    @Override
    public void close() {
        synchronized (socket) {
            if (closed) {
                return;
            }
            closed = true;
        }
        cleanable.clean();
        BufferPool.RECEIVE.give(recv);
    }
}
