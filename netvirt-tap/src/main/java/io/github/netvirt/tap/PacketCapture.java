package io.github.netvirt.tap;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.github.netvirt.netns.Names;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.Await;
import io.github.netvirt.netns.internal.EachOf;
import io.github.netvirt.netns.internal.LibC;
import io.github.netvirt.netns.internal.Sys;
import io.github.netvirt.netns.internal.Uninterrupted;
import io.github.netvirt.netns.internal.WakeableFd;
import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.sys.SyscallException;
import io.github.netvirt.tap.pcap.LinkType;
import io.github.netvirt.tap.pcap.PcapWriter;
import io.github.netvirt.tap.pcap.TimestampPrecision;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CancellationException;

/**
 * Every frame crossing one device, both directions, written to a pcap file as {@code tcpdump -i DEV
 * -w FILE} would: an {@code AF_PACKET} socket opened inside the device's namespace and bound to it,
 * read by a thread of its own. Any device will do (veth, bridge, tap, ...): nothing is added to the
 * network. The file is classic pcap (Ethernet, or raw IP for a device without a link-layer header
 * such as a TUN or an IP tunnel; nanosecond timestamps taken by the kernel when the frame crossed
 * the device), readable by tcpdump, Wireshark and
 * {@link io.github.netvirt.tap.pcap.PcapReader}. Frames are written as they crossed the device, as
 * libpcap writes them: an 802.1Q tag the kernel carried beside a frame is put back in it, a frame
 * of {@code lo} is written once (the kernel hands it over leaving and coming back in), and one
 * longer than {@link io.github.netvirt.tap.pcap.PcapWriter#DEFAULT_SNAPLEN} (a BIG TCP segment) is
 * cut there and keeps its length on the device.
 *
 * <pre>{@code
 * try (PacketCapture c = PacketCapture.start(ns, "eth0", Path.of("eth0.pcap"))) {
 *     ... traffic ...
 * }   // every frame seen so far is in the file
 * }</pre>
 *
 * <p>The capture survives its device going down and up (a cut link) and keeps what it had when the
 * device is deleted or moved to another namespace (the kernel unbinds the socket then: nothing more
 * is captured, also when the device comes back). {@link #close()} writes the frames still queued in
 * the socket, then closes the file; it is idempotent and safe from any thread. Until then the
 * capture runs: one dropped without {@code close()} keeps its thread, its socket (and with it the
 * namespace) and its file open, the frames of its last 64 KiB unwritten, until the JVM exits. A capture that cannot keep up (a bulk
 * transfer of 64 KiB segments outruns the file) loses frames in the kernel, counted by
 * {@link #dropCount()}; the socket queues up to 16 MiB first ({@code net.core.rmem_max} in a
 * user-namespace sandbox).
 */
public final class PacketCapture implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PacketCapture.class.getName());
    private static final int ETH_P_ALL = 0x0003;
    private static final int SOCKADDR_LL_SIZE = 20;
    private static final int RECEIVE_BUFFER = 16 << 20;
    private static final int SO_ATTACH_FILTER = 26;
    private static final long SIOCGIFNAME = 0x8910;
    private static final int ARPHRD_TUNNEL = 768;
    private static final int ARPHRD_TUNNEL6 = 769;
    private static final int ARPHRD_SIT = 776;
    private static final int ARPHRD_IPGRE = 778;
    private static final int ARPHRD_IP6GRE = 823;
    private static final int ARPHRD_NONE = 0xfffe;
    private static final int ARPHRD_LOOPBACK = 772;

    private final String label;
    private final Path file;
    private final WakeableFd socket;
    private final int fd;
    private final PcapWriter writer;
    private final Thread reader;
    private final boolean loopback;
    private final boolean ethernet;
    private volatile boolean stopping;
    private volatile long frames;
    private volatile Throwable failure;
    /** Tests only: run once by the reader after a read that found the queue empty. */
    volatile Runnable afterEmptyRead;

    private boolean closed;
    private long drops;

    private PacketCapture(
            String label, Path file, WakeableFd socket, PcapWriter writer, boolean loopback, boolean ethernet) {
        this.label = label;
        this.loopback = loopback;
        this.ethernet = ethernet;
        this.file = file;
        this.socket = socket;
        this.fd = socket.fd();
        this.writer = writer;
        this.reader = NetNamespace.jvmThread(this::readLoop, "netvirt-capture " + label);
    }

    /**
     * Starts capturing {@code device} of {@code ns} into {@code file} (created or truncated): the
     * device of that name when the capture starts.
     *
     * @throws SyscallException ENODEV when {@code ns} has no such device, EPERM without CAP_NET_RAW
     * @throws IOException when the file cannot be created
     * @throws CancellationException when the calling thread was interrupted before the socket was
     *     opened (its interrupt status is set; nothing is started)
     */
    public static PacketCapture start(NetNamespace ns, String device, Path file) throws IOException {
        Objects.requireNonNull(ns, "ns");
        Objects.requireNonNull(file, "file");
        Names.checkInterface(device); // a device name, not a template
        return start(ns, device, 0, file);
    }

    /**
     * Starts capturing the device of ifindex {@code index} of {@code ns} into {@code file} (created or
     * truncated), whatever it is named: a device proven by its index is captured though someone renames
     * it, or gives its name to another, meanwhile.
     *
     * @throws IllegalArgumentException if {@code index} is not positive
     * @throws SyscallException ENODEV when {@code ns} has no device of that index, EPERM without
     *     CAP_NET_RAW
     * @throws IOException when the file cannot be created
     * @throws CancellationException when the calling thread was interrupted before the socket was
     *     opened (its interrupt status is set; nothing is started)
     */
    public static PacketCapture start(NetNamespace ns, int index, Path file) throws IOException {
        Objects.requireNonNull(ns, "ns");
        Objects.requireNonNull(file, "file");
        if (index <= 0) {
            throw new IllegalArgumentException("an ifindex is positive: " + index);
        }
        return start(ns, null, index, file);
    }

    /** Captures device {@code device}, or the device of ifindex {@code index} when it is null. */
    private static PacketCapture start(NetNamespace ns, String device, int index, Path file) throws IOException {
        String what = device != null ? device : "ifindex " + index;
        String where = what + " in " + ns;
        WakeableFd socket = WakeableFd.of(open(ns, device, index, where));
        PcapWriter w = null;
        try {
            int type = boundType(socket.fd(), where);
            String label = (device != null ? device : nameOf(socket.fd(), index, what)) + " in " + ns;
            LinkType linkType = linkType(type);
            w = PcapWriter.create(file, linkType, TimestampPrecision.NANOSECONDS);
            PacketCapture c =
                    new PacketCapture(label, file, socket, w, type == ARPHRD_LOOPBACK, linkType == LinkType.ETHERNET);
            c.reader.start();
            return c;
        } catch (IOException | RuntimeException | Error e) {
            EachOf.closeAfter(e, socket, w);
            throw e;
        }
    }

    /**
     * A non-blocking packet socket of {@code ns}, bound to {@code device}, or to ifindex {@code index}
     * when it is null, receiving every protocol.
     */
    private static int open(NetNamespace ns, String device, int index, String label) {
        try {
            return ns.inside(() -> {
                // protocol 0 receives nothing: the socket would otherwise take every device's frames
                // until bind() narrows it to one (libpcap opens its sockets the same way)
                int s;
                try {
                    s = Sys.socket(LibC.AF_PACKET, LibC.SOCK_RAW | LibC.SOCK_NONBLOCK, 0);
                } catch (SyscallException e) {
                    throw new PacketSocketException(label, e.errno());
                }
                try {
                    int bound = device != null ? indexOf(s, device, label) : index;
                    receiveBuffer(s);
                    // each frame comes with the time the kernel saw it and its auxdata (its length on
                    // the device, a VLAN tag the kernel keeps beside it)
                    Sys.setsockoptInt(s, LibC.SOL_SOCKET, LibC.SO_TIMESTAMPNS, 1);
                    Sys.setsockoptInt(s, LibC.SOL_PACKET, LibC.PACKET_AUXDATA, 1);
                    byte[] sll = new byte[SOCKADDR_LL_SIZE];
                    sll[0] = (byte) LibC.AF_PACKET;
                    sll[2] = (byte) (ETH_P_ALL >>> 8); // network byte order
                    sll[3] = (byte) ETH_P_ALL;
                    ByteBuffer.wrap(sll, 4, 4).order(ByteOrder.nativeOrder()).putInt(bound);
                    try {
                        LibC.bind(s, sll, sll.length);
                    } catch (LastErrorException e) {
                        throw SyscallException.of("capture of " + label + ": bind", e.getErrorCode());
                    }
                    return s;
                } catch (RuntimeException e) {
                    Sys.closeQuietly(s);
                    throw e;
                }
            });
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            // inside() ran nothing: no socket to close
            throw Uninterrupted.cancellation("interrupted before the packet socket for " + label + " was opened", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot open a packet socket for " + label, e);
        }
    }

    private static int indexOf(int socket, String device, String label) {
        byte[] ifr = Ifreq.encode(device, 0);
        try {
            LibC.ioctl(socket, LibC.SIOCGIFINDEX, ifr);
        } catch (LastErrorException e) {
            throw SyscallException.of("capture of " + label + ": device " + device, e.getErrorCode());
        }
        return ByteBuffer.wrap(ifr, 16, 4).order(ByteOrder.nativeOrder()).getInt();
    }

    /**
     * A queue of {@link #RECEIVE_BUFFER} bytes: above {@code rmem_max} only with the machine's
     * CAP_NET_ADMIN, which a user-namespace sandbox has not (EPERM); there, as much as {@code
     * rmem_max} allows.
     */
    private static void receiveBuffer(int s) {
        try (Memory size = new Memory(4)) {
            size.setInt(0, RECEIVE_BUFFER);
            long at = Pointer.nativeValue(size);
            if (LibC.setsockopt(s, LibC.SOL_SOCKET, LibC.SO_RCVBUFFORCE, at, 4) != 0) {
                Sys.setsockoptInt(s, LibC.SOL_SOCKET, LibC.SO_RCVBUF, RECEIVE_BUFFER);
            }
        }
    }

    /**
     * The {@code ARPHRD_*} type of the device the socket is bound to, as the kernel reports the bound
     * device (by its index: a name looked up again could be another device's by now).
     */
    private static int boundType(int socket, String label) {
        byte[] sll = new byte[SOCKADDR_LL_SIZE];
        int[] length = {sll.length};
        try {
            LibC.getsockname(socket, sll, length);
        } catch (LastErrorException e) {
            throw SyscallException.of("capture of " + label + ": device type", e.getErrorCode());
        }
        ByteBuffer b = ByteBuffer.wrap(sll).order(ByteOrder.nativeOrder());
        if (b.getInt(4) <= 0) { // the kernel unbinds the socket of a device deleted or moved away
            throw SyscallException.of("capture of " + label + ": device type", Errno.ENODEV.code());
        }
        return b.getShort(8) & 0xffff;
    }

    /** The name of the device of ifindex {@code index} now (for messages), or {@code what}. */
    private static String nameOf(int socket, int index, String what) {
        byte[] ifr = new byte[Ifreq.SIZE];
        ByteBuffer.wrap(ifr, 16, 4).order(ByteOrder.nativeOrder()).putInt(index);
        try {
            LibC.ioctl(socket, SIOCGIFNAME, ifr);
        } catch (LastErrorException e) {
            return what;
        }
        return Ifreq.name(ifr);
    }

    /**
     * What the socket's frames start with: a device without a link-layer header (TUN, WireGuard, IP
     * tunnels) gives bare IP packets, which an Ethernet file would show as garbage.
     */
    private static LinkType linkType(int type) {
        switch (type) {
            case ARPHRD_NONE, ARPHRD_TUNNEL, ARPHRD_TUNNEL6, ARPHRD_SIT, ARPHRD_IPGRE, ARPHRD_IP6GRE:
                return LinkType.RAW;
            default:
                return LinkType.ETHERNET;
        }
    }

    private void readLoop() {
        CapturedFrame frame = new CapturedFrame(PcapWriter.DEFAULT_SNAPLEN);
        try {
            while (true) {
                // the flag is read before the read: an EAGAIN that came before close() asked to stop
                // says nothing of the frames queued since (the reader may have waited for a CPU
                // between the two), and those must reach the file
                boolean stop = stopping;
                if (frame.receive(fd) >= 0) {
                    if (loopback && frame.outgoing()) {
                        // lo hands each frame to packet sockets twice, leaving and coming back in
                        // (libpcap skips the first too)
                        continue;
                    }
                    long at = frame.nanos();
                    writer.write(frame.frame(ethernet), frame.originalLength(), at >= 0 ? at : writer.now());
                    frames++;
                    continue;
                }
                int err = LibC.errno();
                if (err == Errno.EINTR.code() || err == Errno.ENETDOWN.code()) {
                    // ENETDOWN is reported once when the device goes down; the socket receives
                    // again when it comes back up
                    continue;
                }
                if (err != Errno.EAGAIN.code()) {
                    throw new TapIOException("capture of " + label, err);
                }
                Runnable hook = afterEmptyRead;
                if (hook != null) {
                    afterEmptyRead = null;
                    hook.run();
                }
                if (stop) {
                    return; // the queue was empty after close() was called: drained
                }
                if (socket.await(false, -1) == WakeableFd.FAILED) {
                    throw new TapIOException("poll for capture of " + label, LibC.errno());
                }
            }
        } catch (Throwable t) {
            failure = t;
            LOG.log(System.Logger.Level.WARNING, "capture of " + label + " stopped", t);
        } finally {
            frame.close();
        }
    }

    /** The pcap file. */
    public Path file() {
        return file;
    }

    /** Frames written so far. */
    public long frameCount() {
        return frames;
    }

    /**
     * Frames the kernel dropped so far because the socket's queue was full (the capture could not
     * keep up: a bulk transfer of large segments can outrun the file). They are missing from the
     * file.
     */
    public synchronized long dropCount() {
        if (!closed) {
            readDrops();
        }
        return drops;
    }

    /**
     * Attaches a classic BPF filter that drops every frame ({@code ret #0}), as libpcap does before
     * it drains a socket: the frames already queued stay.
     */
    private void dropFromNowOn() {
        try (Memory program = new Memory(24)) {
            program.clear();
            long base = Pointer.nativeValue(program);
            program.setShort(0, (short) 1); // struct sock_fprog {len 1, filter}
            program.setLong(8, base + 16);
            program.setShort(16, (short) 0x06); // struct sock_filter {BPF_RET | BPF_K, 0, 0, k 0}
            if (LibC.setsockopt(fd, LibC.SOL_SOCKET, SO_ATTACH_FILTER, base, 16) != 0) {
                LOG.log(
                        System.Logger.Level.DEBUG,
                        "capture of {0}: no drop filter (errno {1}); close() drains until the queue is empty",
                        label,
                        LibC.errno());
            }
        }
    }

    /** {@code PACKET_STATISTICS}: counters since the last read, which resets them. */
    private void readDrops() {
        try (Memory stats = new Memory(12)) {
            stats.setInt(8, 8);
            long base = Pointer.nativeValue(stats);
            if (LibC.getsockopt(fd, LibC.SOL_PACKET, LibC.PACKET_STATISTICS, base, base + 8) == 0) {
                drops += stats.getInt(4) & 0xffffffffL; // struct tpacket_stats {tp_packets, tp_drops}
            }
        }
    }

    public synchronized boolean isOpen() {
        return !closed;
    }

    /**
     * Writes the frames still queued, stops the reader and closes the socket and the file.
     * Idempotent.
     *
     * @throws UncheckedIOException when the file could not be written (what was written stays)
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // the reader stops at the first empty read: under traffic that outruns it the queue is
        // never empty, so nothing more is queued from now on and it drains what is there
        dropFromNowOn();
        stopping = true;
        socket.wakeup();
        Await.join(reader);
        readDrops();
        socket.close();
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("capture of " + label + " into " + file, e);
        }
        Throwable f = failure;
        if (f instanceof IOException io) {
            throw new UncheckedIOException("capture of " + label + " into " + file + " stopped early", io);
        }
        if (f != null) {
            throw new IllegalStateException("capture of " + label + " into " + file + " stopped early", f);
        }
    }

    @Override
    public String toString() {
        return "PacketCapture[" + label + " -> " + file + ", " + frames + " frames]";
    }
}
