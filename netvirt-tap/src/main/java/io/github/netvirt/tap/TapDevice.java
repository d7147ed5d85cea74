package io.github.netvirt.tap;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import io.github.netvirt.netlink.Link;
import io.github.netvirt.netlink.MacAddress;
import io.github.netvirt.netlink.Mtu;
import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netlink.Sysctls;
import io.github.netvirt.netlink.TunOptions;
import io.github.netvirt.netns.Lendable;
import io.github.netvirt.netns.Names;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.NetnsException;
import io.github.netvirt.netns.internal.FileStat;
import io.github.netvirt.netns.internal.LibC;
import io.github.netvirt.netns.internal.Require;
import io.github.netvirt.netns.internal.Sys;
import io.github.netvirt.netns.internal.Uninterrupted;
import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.sys.SyscallException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * One queue of a TAP (Ethernet) or TUN (IP) device, opened in a network namespace.
 *
 * <pre>{@code
 * try (NetNamespace ns = NetNamespace.ephemeral();
 *      TapDevice tap = TapDevice.tap("tap%d").open(ns)) {
 *     String name = tap.name();            // e.g. "tap0", read back from the kernel
 *     tap.write(frame, 0, frame.length);   // one write, one frame
 *     int n = tap.read(buf, 0, buf.length); // one read, one frame
 * }
 * }</pre>
 *
 * <h2>Frames</h2>
 * Every read returns exactly one frame and every write sends exactly one frame; there is no
 * buffering. The device carries frames without a packet-information prefix unless
 * {@link Builder#packetInfo(boolean)} asks for one. {@link #read(ByteBuffer)} and
 * {@link #write(ByteBuffer)} are the zero-copy path for direct buffers; {@link #inputStream()} and
 * {@link #outputStream()} give the same frames as Java streams. Nothing is allocated per frame.
 *
 * <h2>Buffers smaller than a frame</h2>
 * The kernel copies as much of a frame as fits, drops the rest, and reports only the bytes it
 * stored. The read methods of this class report the frame's whole length instead: a result larger
 * than the room given means the frame was truncated to that room (as {@code recv(MSG_TRUNC)} does
 * for datagrams). To know the length they read through a frame-sized native buffer, except for
 * direct buffers with at least {@link #MAX_FRAME} bytes remaining, which the kernel fills in place:
 * give the zero-copy path such a buffer (slices of one large buffer will do).
 *
 * <h2>Threads</h2>
 * A device is thread-safe: reads are serialised with each other, writes with each other, and a
 * reader and a writer run in parallel. For parallel readers use a multi-queue device, one
 * {@code TapDevice} (queue) per thread ({@link #openQueue()}). {@link #close()} may be called from
 * any thread (it does nothing while the device is lent out: {@link Lendable}): it wakes blocked
 * readers at once, through an eventfd they also wait on, not by a timeout (a user measured 0.2 to
 * 6.3 ms until a reader was back, on 2 loaded CPUs: what the scheduler takes to run it); they get an
 * {@link java.nio.channels.AsynchronousCloseException}, or end-of-stream on the input stream. It
 * releases the fd and its native buffers only after they have left it. {@link Thread#interrupt()} does not wake a reader:
 * use a read timeout or {@code close()}.
 *
 * <h2>Configuration</h2>
 * {@link #up()}, {@link #down()}, {@link #setMtu(int)}, {@link #setMac(MacAddress)} and
 * {@link #link()} go through rtnetlink (netvirt-netlink) in the device's namespace, by the ifindex
 * that each of them first proves to be this device's there ({@link #ifindex()}): once the device
 * has moved to another namespace or been deleted, they throw {@code IllegalStateException}, and
 * never touch a device that took its name or index. The device is created DOWN, and writing to a
 * device that is down fails with EIO. Addresses, routes and bridge ports are {@link NetlinkHandle}'s business.
 *
 * <p>A non-persistent device disappears when its last queue is closed; a persistent one stays
 * until {@link #setPersistent(boolean) setPersistent(false)} and close.
 *
 * <h2>After close</h2>
 * The frame methods throw {@link java.nio.channels.ClosedChannelException} (an {@code IOException},
 * as NIO channels do; a reader blocked at the time gets its subclass
 * {@link java.nio.channels.AsynchronousCloseException}); the other methods that touch the device
 * ({@link #up}, {@link #down}, {@link #setMtu}, {@link #setMac}, {@link #link},
 * {@link #setPersistent}, {@link #openQueue}) throw {@code IllegalStateException} with the one
 * message {@code "TapDevice[tap NAME, closed] is closed"}. {@link #name}, {@link #kind},
 * {@link #namespace}, the option getters and {@link #toString} keep working, and {@link #close}
 * again does nothing.
 */
public final class TapDevice extends Lendable {
    /** The largest frame a read or write handles: a 65535-byte MTU, an Ethernet/VLAN header and the PI prefix. */
    public static final int MAX_FRAME = 65535 + 18 + 4;

    private static final int IFF_PERSIST = 0x0800;
    /**
     * The TUNSETIFF options that belong to the device, not to one queue: its kind and the
     * kernel's TUN_FEATURES that matter to the frames (packet info, multi-queue, vnet header).
     */
    private static final int DEVICE_OPTIONS =
            Ifreq.IFF_TUN | Ifreq.IFF_TAP | Ifreq.IFF_NO_PI | Ifreq.IFF_MULTI_QUEUE | Ifreq.IFF_VNET_HDR;
    /**
     * Closes the fd of a device dropped without close(), so that the kernel can remove it. Its thread
     * is started by whichever thread first loads this class, maybe inside NetNamespace.call: it goes
     * to the JVM's namespace first.
     */
    private static final Cleaner CLEANER = Cleaner.create(r -> NetNamespace.jvmThread(r, "netvirt-tap-cleaner"));

    private final NetNamespace namespace;
    private final DeviceKind kind;
    private final String name;
    private final int flags;
    private final TapFd fd;
    private final int minWrite;
    private volatile int readTimeoutMillis;
    private volatile boolean persistent;
    private NetlinkHandle netlink;
    /** The index last proven this device's, for {@link #ifindex()} after close; 0 before. */
    private int ifindex;

    private final ReentrantLock readLock = new ReentrantLock();
    private final FrameMemory readMemory = new FrameMemory();
    private FrameBatch readBatch;

    private final Object writeLock = new Object();
    private final FrameMemory writeMemory = new FrameMemory();
    private byte[] writeScratch;
    private FrameBatch writeBatch;

    /** {@link #inputStream()} and {@link #outputStream()}: their buffers are made at their first use. */
    private final FrameInputStream input = new FrameInputStream(this);

    private final FrameOutputStream output = new FrameOutputStream(this);

    /** A queue opened in {@code namespace} as {@code options} said, of the device the kernel named {@code name}. */
    private TapDevice(NetNamespace namespace, Builder options, String name, TapFd fd, boolean persistent) {
        this.namespace = namespace;
        this.kind = options.kind;
        this.name = name;
        this.flags = options.flags;
        this.fd = fd;
        this.persistent = persistent;
        this.readTimeoutMillis = options.readTimeoutMillis;
        this.minWrite = kind.minFrameLength() + (packetInfo() ? 4 : 0);
        CLEANER.register(this, fd::close);
    }

    /**
     * Options for a TAP (Ethernet) device named {@code name}, or a template like {@code tap%d}.
     *
     * @throws IllegalArgumentException if {@code name} is null, empty (the kernel's default name is
     *     {@link #of(DeviceKind)}) or not a valid interface name or template
     */
    public static Builder tap(String name) {
        return new Builder(DeviceKind.TAP, named(DeviceKind.TAP, name));
    }

    /**
     * Options for a TUN (IP) device named {@code name}, or a template like {@code tun%d}.
     *
     * @throws IllegalArgumentException if {@code name} is null, empty (the kernel's default name is
     *     {@link #of(DeviceKind)}) or not a valid interface name or template
     */
    public static Builder tun(String name) {
        return new Builder(DeviceKind.TUN, named(DeviceKind.TUN, name));
    }

    private static String named(DeviceKind kind, String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("the " + kind.name().toLowerCase() + " name is "
                    + (name == null ? "null" : "empty") + ": give a name or a template such as "
                    + kind.defaultTemplate() + ", or use TapDevice.of(DeviceKind." + kind
                    + ") for the kernel's default");
        }
        return name;
    }

    /** Options for a device of {@code kind} with the kernel's default name ({@code tap%d}/{@code tun%d}). */
    public static Builder of(DeviceKind kind) {
        return new Builder(kind, "");
    }

    /** How to open a device. Setters check their argument at once; {@link #open} touches the kernel. */
    public static final class Builder {
        private final DeviceKind kind;
        private final String name;
        /** The {@code ifr_flags} of TUNSETIFF. */
        private int flags;

        private boolean persistent;
        private int owner = -1;
        private int group = -1;
        private int readTimeoutMillis;
        /** The ifindex to create the device with; 0: the kernel chooses. */
        private int ifindex;
        /** Another queue of a device this JVM holds open: its options are known, the kernel's answer is checked. */
        private boolean extraQueue;

        private Builder(DeviceKind kind, String name) {
            Names.checkInterfaceTemplate(name);
            this.kind = kind;
            this.name = name;
            this.flags = kind.flag() | Ifreq.IFF_NO_PI;
        }

        /**
         * Another queue of {@code device}, by the name the kernel gives it now (not checked: the
         * kernel's own) and with its ifindex there, so that TUNSETIFF cannot create a device: it
         * attaches to the device of that name, or fails with EBUSY if there is none.
         */
        private Builder(TapDevice device, String nameNow, int index) {
            this.kind = device.kind;
            this.name = nameNow;
            this.flags = device.flags & ~Ifreq.IFF_TUN_EXCL;
            this.readTimeoutMillis = device.readTimeoutMillis;
            this.ifindex = index;
            this.extraQueue = true;
        }

        /** Prefix every frame with the kernel's 4-byte {@code struct tun_pi} (flags, protocol). Default off ({@code IFF_NO_PI}). */
        public Builder packetInfo(boolean on) {
            return flag(Ifreq.IFF_NO_PI, !on);
        }

        /** A multi-queue device ({@code IFF_MULTI_QUEUE}): more queues with {@link TapDevice#openQueue()}. */
        public Builder multiQueue(boolean on) {
            return flag(Ifreq.IFF_MULTI_QUEUE, on);
        }

        /**
         * Refuse to attach to an existing device of that name ({@code IFF_TUN_EXCL}): open then
         * creates a new device or fails with EBUSY. Default off: an existing (persistent) device
         * with matching options is attached to.
         */
        public Builder createOnly(boolean on) {
            return flag(Ifreq.IFF_TUN_EXCL, on);
        }

        private Builder flag(int flag, boolean on) {
            flags = on ? flags | flag : flags & ~flag;
            return this;
        }

        /**
         * Create the device with ifindex {@code index} in its namespace ({@code TUNSETIFINDEX} before
         * {@code TUNSETIFF}), not one the kernel chooses; zero (default) lets the kernel choose. Has
         * no effect when open attaches to an existing device: see {@link #createOnly}. Open fails
         * with EBUSY when another device of the namespace has that index.
         *
         * @throws IllegalArgumentException if {@code index} is negative
         */
        public Builder ifindex(int index) {
            this.ifindex = Require.nonNegative(index, "ifindex");
            return this;
        }

        /** Keep the device when its last fd closes ({@code TUNSETPERSIST}). */
        public Builder persistent(boolean on) {
            this.persistent = on;
            return this;
        }

        /**
         * Let user {@code uid} attach to the device without CAP_NET_ADMIN ({@code TUNSETOWNER}).
         *
         * @throws IllegalArgumentException if {@code uid} is negative
         */
        public Builder owner(int uid) {
            this.owner = Require.nonNegative(uid, "owner uid");
            return this;
        }

        /**
         * Let group {@code gid} attach to the device without CAP_NET_ADMIN ({@code TUNSETGROUP}).
         *
         * @throws IllegalArgumentException if {@code gid} is negative
         */
        public Builder group(int gid) {
            this.group = Require.nonNegative(gid, "group gid");
            return this;
        }

        /**
         * How long a read waits for a frame before {@link TapTimeoutException}; zero waits forever
         * (default). A non-zero timeout under a millisecond is one millisecond.
         *
         * @throws IllegalArgumentException if {@code timeout} is negative, or longer than
         *     {@code Integer.MAX_VALUE} ms (about 24.8 days, {@code poll()}'s limit): use zero to wait forever
         * @throws NullPointerException if {@code timeout} is null
         */
        public Builder readTimeout(Duration timeout) {
            this.readTimeoutMillis = timeoutMillis(timeout);
            return this;
        }

        /**
         * Creates the device in {@code ns}, or attaches to the existing one of that name. The
         * namespace is fixed here, when {@code /dev/net/tun} is opened: the device stays usable
         * through this handle even if it is moved to another namespace later.
         *
         * @throws NetnsException when the switching thread cannot enter {@code ns} (EPERM without CAP_SYS_ADMIN)
         * @throws IllegalStateException when {@code ns} is closed
         * @throws CancellationException when the calling thread was interrupted before {@code /dev/net/tun}
         *     was opened (its interrupt status is set)
         * @throws TapException EBUSY when the device is attached to another fd (and not multi-queue),
         *     or another device of {@code ns} has the {@link #ifindex} asked for,
         *     EINVAL when an existing device of that name has other options (kind, multi-queue, packet
         *     info, vnet header: refused before attaching, the device is left as it was) or is no
         *     TUN/TAP device,
         *     EPERM without CAP_NET_ADMIN; ENOENT or EACCES when {@code /dev/net/tun} is missing or
         *     not open to this user
         * @throws IllegalStateException if {@code ns} is closed
         * @throws NullPointerException if {@code ns} is null
         */
        public TapDevice open(NetNamespace ns) {
            Objects.requireNonNull(ns, "namespace");
            String label = kind.name().toLowerCase() + " " + (name.isEmpty() ? kind.defaultTemplate() : name);
            if (mayAttach()) {
                // a handle of its own, closed at once: the device opens one only if it is configured
                try (NetlinkHandle h = NetlinkHandle.open(ns)) {
                    refuseOtherOptions(h, label);
                }
            }
            return open(ns, label);
        }

        /**
         * Whether TUNSETIFF may attach to an existing device whose options it would then change: for
         * the first queue attached, the kernel overwrites the device's packet info, vnet header and
         * multi-queue flags with the request's (tun_set_iff), so they are compared before. A
         * template or the default name always makes a new device, createOnly never attaches, and an
         * extra queue is checked by {@link TapDevice#openQueue()}, with the device's own handle.
         */
        private boolean mayAttach() {
            return !name.isEmpty() && name.indexOf('%') < 0 && (flags & Ifreq.IFF_TUN_EXCL) == 0 && !extraQueue;
        }

        /**
         * Throws EINVAL if {@code ns} has a TUN/TAP device of this name with options other than these.
         * (A device replaced by another of the name between this look and TUNSETIFF is not seen.)
         */
        private void refuseOtherOptions(NetlinkHandle h, String label) {
            Optional<TunOptions> existing = h.tunOptions(name);
            if (existing.isPresent()) {
                TunOptions o = existing.get();
                int theirs = (o.tap() ? Ifreq.IFF_TAP : Ifreq.IFF_TUN)
                        | (o.packetInfo() ? 0 : Ifreq.IFF_NO_PI)
                        | (o.multiQueue() ? Ifreq.IFF_MULTI_QUEUE : 0)
                        | (o.vnetHdr() ? Ifreq.IFF_VNET_HDR : 0);
                checkSameOptions(label, theirs, DEVICE_OPTIONS);
            }
        }

        /**
         * Throws EINVAL (nothing attached yet, or the caller detaches) unless {@code theirs} are this
         * builder's options, as far as {@code mask} covers them.
         */
        private void checkSameOptions(String label, int theirs, int mask) {
            if ((theirs & mask) != (flags & mask)) {
                throw new TapException(
                        "cannot attach to " + label + ": a device of that name exists with other options ("
                                + options(theirs) + "; asked for " + options(flags) + ")",
                        Errno.EINVAL.code());
            }
        }

        private TapDevice open(NetNamespace ns, String label) {
            int tunFd;
            try {
                tunFd = ns.inside(() -> Sys.open("/dev/net/tun", LibC.O_RDWR | LibC.O_NONBLOCK));
            } catch (NetnsException e) {
                throw e; // could not enter ns: errno, namespace and hint already told
            } catch (SyscallException e) {
                throw new TapException("cannot open /dev/net/tun for " + label + " in " + ns, e.errno());
            } catch (RuntimeException e) {
                throw e;
            } catch (InterruptedException e) {
                throw Uninterrupted.cancellation("interrupted before /dev/net/tun was opened in " + ns, e);
            } catch (Exception e) {
                throw new IllegalStateException("cannot open /dev/net/tun in " + ns, e);
            }
            TapFd tap = new TapFd(tunFd);
            boolean weMadeItPersistent = false;
            try {
                if (ifindex > 0) {
                    ioctl(tunFd, Ifreq.TUNSETIFINDEX, intArg(ifindex), "ask for ifindex " + ifindex + " for " + label);
                }
                byte[] req = Ifreq.encode(name, flags);
                try {
                    LibC.ioctl(tunFd, Ifreq.TUNSETIFF, req);
                } catch (LastErrorException e) {
                    throw new TapException(
                            setIffMessage(label, e.getErrorCode(), (flags & Ifreq.IFF_TUN_EXCL) != 0, ifindex),
                            e.getErrorCode());
                }
                String actual = Ifreq.name(req);
                label = kind.name().toLowerCase() + " " + actual;
                byte[] got = new byte[Ifreq.SIZE];
                ioctl(tunFd, Ifreq.TUNGETIFF, got, "read back the flags of " + label);
                // an extra queue of a multi-queue device keeps the device's options, whatever it asked.
                // TUNGETIFF cannot tell packet info: it sets IFF_NOFILTER, the same bit as IFF_NO_PI,
                // on every queue without a socket filter; rtnetlink told it before the attach
                checkSameOptions(label, Ifreq.flags(got), DEVICE_OPTIONS & ~Ifreq.IFF_NO_PI);
                boolean wasPersistent = (Ifreq.flags(got) & IFF_PERSIST) != 0;
                if (persistent && !wasPersistent) {
                    ioctl(tunFd, Ifreq.TUNSETPERSIST, 1, "make " + label + " persistent");
                    weMadeItPersistent = true;
                }
                if (owner >= 0) {
                    ioctl(tunFd, Ifreq.TUNSETOWNER, owner, "set the owner of " + label + " to uid " + owner);
                }
                if (group >= 0) {
                    ioctl(tunFd, Ifreq.TUNSETGROUP, group, "set the group of " + label + " to gid " + group);
                }
                return new TapDevice(ns, this, actual, tap, persistent || wasPersistent);
            } catch (RuntimeException e) {
                if (weMadeItPersistent) {
                    // if this fails, the close below cannot remove it; nothing more we can do
                    LibC.ioctl(tunFd, Ifreq.TUNSETPERSIST, 0L);
                }
                tap.close();
                throw e;
            }
        }
    }

    /** The device options in {@code flags}, in words. */
    private static String options(int flags) {
        return ((flags & Ifreq.IFF_TAP) != 0 ? "tap" : "tun")
                + ((flags & Ifreq.IFF_NO_PI) != 0 ? ", no packet info" : ", packet info")
                + ((flags & Ifreq.IFF_MULTI_QUEUE) != 0 ? ", multi-queue" : ", single queue")
                + ((flags & Ifreq.IFF_VNET_HDR) != 0 ? ", vnet header" : "");
    }

    private static String setIffMessage(String label, int errno, boolean createOnly, int ifindex) {
        switch (Errno.of(errno)) {
            case EBUSY:
                if (createOnly && ifindex > 0) {
                    return "cannot create " + label + " with ifindex " + ifindex
                            + ": a device of that name or with that ifindex exists (createOnly)";
                }
                if (createOnly) {
                    return "cannot create " + label + ": a device of that name exists (createOnly)";
                }
                if (ifindex > 0) {
                    return "cannot create or attach " + label + " with ifindex " + ifindex
                            + ": another device has that ifindex, or another fd holds the device";
                }
                return "cannot attach to " + label
                        + ": it is busy (another fd holds it; only multi-queue devices take several)";
            case EINVAL:
                return "cannot attach to " + label + ": a device of that name exists with other options "
                        + "(kind, multi-queue, packet info) or is not a TUN/TAP device";
            case EPERM:
                return "cannot attach to " + label + ": not its owner or group";
            default:
                return "cannot create or attach " + label + " (TUNSETIFF)";
        }
    }

    private static void ioctl(int fd, long request, byte[] arg, String what) {
        try {
            LibC.ioctl(fd, request, arg);
        } catch (LastErrorException e) {
            throw new TapException("cannot " + what, e.getErrorCode());
        }
    }

    /** An {@code unsigned int} for an ioctl that reads one through its pointer argument, in native order. */
    private static byte[] intArg(int value) {
        return ByteBuffer.allocate(4)
                .order(ByteOrder.nativeOrder())
                .putInt(value)
                .array();
    }

    private static void ioctl(int fd, long request, long arg, String what) {
        if (LibC.ioctl(fd, request, arg) < 0) {
            throw new TapException("cannot " + what, LibC.errno());
        }
    }

    private static final Duration MAX_TIMEOUT = Duration.ofMillis(Integer.MAX_VALUE);

    static int timeoutMillis(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
        }
        if (timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("timeout " + timeout + " is longer than the longest a read can wait, "
                    + MAX_TIMEOUT + " (poll's int milliseconds); zero waits forever");
        }
        long ms = timeout.toMillis();
        if (ms == 0 && !timeout.isZero()) {
            ms = 1;
        }
        return (int) ms;
    }

    // ---------------------------------------------------------------- identity and options

    /** The device's name as the kernel gave it (templates resolved). */
    public String name() {
        return name;
    }

    public DeviceKind kind() {
        return kind;
    }

    /** The namespace {@code /dev/net/tun} was opened in (not owned by this device). */
    public NetNamespace namespace() {
        return namespace;
    }

    public boolean isMultiQueue() {
        return (flags & Ifreq.IFF_MULTI_QUEUE) != 0;
    }

    /** Whether frames carry the 4-byte {@code struct tun_pi} prefix. */
    public boolean packetInfo() {
        return (flags & Ifreq.IFF_NO_PI) == 0;
    }

    public boolean isPersistent() {
        return persistent;
    }

    public boolean isOpen() {
        return fd.isOpen();
    }

    /**
     * Makes the device outlive its fds ({@code true}) or die with its last fd ({@code false}).
     *
     * @throws TapException if the kernel refuses ({@code TUNSETPERSIST})
     * @throws IllegalStateException if this device is closed
     */
    public void setPersistent(boolean on) {
        try {
            fd.enter();
        } catch (ClosedChannelException e) {
            throw new IllegalStateException(this + " is closed");
        }
        try {
            ioctl(fd.fd(), Ifreq.TUNSETPERSIST, on ? 1 : 0, (on ? "make " : "unmake ") + label() + " persistent");
            persistent = on;
        } finally {
            fd.leave();
        }
    }

    public Duration readTimeout() {
        return Duration.ofMillis(readTimeoutMillis);
    }

    /**
     * How long a read waits before {@link TapTimeoutException}; zero waits forever. Takes effect
     * from the next read.
     *
     * @throws IllegalArgumentException if {@code timeout} is negative, or longer than
     *     {@code Integer.MAX_VALUE} ms (about 24.8 days, {@code poll()}'s limit): use zero to wait forever
     * @throws NullPointerException if {@code timeout} is null
     */
    public void setReadTimeout(Duration timeout) {
        readTimeoutMillis = timeoutMillis(timeout);
    }

    /**
     * Attaches one more queue to this multi-queue device: a new fd, for one more reading thread.
     * The queue is of the device behind this one's fd, under the name the kernel gives it now (a
     * device renamed since open is followed; another that took its old name is never attached to,
     * and no device is created), in the namespace this device was opened in, which must still be
     * open and still hold the device.
     *
     * @throws IllegalStateException if the device is not multi-queue, or closed, or its namespace
     *     is, or the device is no longer in that namespace (moved to another one, or deleted), or
     *     it was renamed again and again while the queue was attached
     * @throws TapException if the kernel refuses the new queue
     */
    public TapDevice openQueue() {
        return openQueue(() -> {});
    }

    /**
     * {@link #openQueue()}, running {@code beforeAttach} between reading the device's name and
     * attaching by it: tests rename the device there.
     */
    TapDevice openQueue(Runnable beforeAttach) {
        if (!isMultiQueue()) {
            throw new IllegalStateException(label() + " is not multi-queue: open it with multiQueue(true)");
        }
        try {
            fd.enter();
        } catch (ClosedChannelException e) {
            throw new IllegalStateException(this + " is closed");
        }
        try {
            for (int tries = 1; ; tries++) {
                // TUNSETIFF has no "attach only": by name it attaches to whichever device has the name,
                // or creates one. With our ifindex it cannot create while the device holds that index
                int index = lookUpIndex();
                String now = currentName();
                beforeAttach.run();
                TapDevice queue = null;
                try {
                    Builder options = new Builder(this, now, index);
                    // by a race, the name may be another's device: with no queue, it would take our options
                    options.refuseOtherOptions(netlink(), kind.name().toLowerCase() + " " + now);
                    queue = options.open(namespace);
                } catch (TapException e) {
                    // EBUSY: no device had the name (renamed meanwhile); another error may be another's device
                    if (!e.is(Errno.EBUSY) && currentName().equals(now)) {
                        throw e;
                    }
                }
                if (queue != null) {
                    boolean ours = false;
                    try {
                        ours = isQueueOfThis(queue);
                    } finally {
                        if (!ours) {
                            // a device it made (with our old index, gone by now) goes with its only fd
                            queue.close();
                        }
                    }
                    if (ours) {
                        return queue;
                    }
                }
                if (tries == 8) {
                    throw new IllegalStateException(
                            label() + " was renamed " + tries + " times while a queue was attached to it");
                }
            }
        } finally {
            fd.leave();
        }
    }

    /**
     * Whether {@code queue}, just attached by name, is of the device behind this fd: both devices
     * are in {@link #namespace}, and the queue's device had this one's name before this one had it
     * after (TUNGETIFF, in that order): names are unique in a namespace at any instant. Throws
     * if this device is no longer there. The kernel tells no tun fd's ifindex, so one window
     * remains: this device renamed away and back between the two TUNGETIFFs while the other had
     * the name. Inside {@code fd.enter()}.
     */
    private boolean isQueueOfThis(TapDevice queue) {
        int queueFd = queue.fd.fd();
        String theirs = deviceName(queueFd);
        if (theirs == null || namespaceElsewhere(queueFd) != HERE) {
            return false;
        }
        boolean same = theirs.equals(currentName());
        checkStillInNamespace();
        return same;
    }

    // ---------------------------------------------------------------- frames

    /**
     * Reads one frame into {@code dst} from its position, waiting up to the read timeout.
     * The position advances by the bytes stored. Direct buffers are read into in place.
     * Blocks its thread in native code: from a virtual thread it holds the carrier for the whole wait
     * (other virtual threads may wait for a carrier meanwhile); read on a platform thread.
     *
     * @return the frame's length; larger than {@code dst.remaining()} when the frame did not fit,
     *     in which case the first {@code remaining()} bytes were stored and the rest is lost
     * @throws TapTimeoutException when no frame came within the read timeout
     * @throws java.nio.channels.ClosedChannelException when the device is closed
     * @throws java.nio.channels.AsynchronousCloseException when it was closed while waiting
     * @throws TapIOException when the kernel reports an error on the read
     * @throws IllegalArgumentException when {@code dst} has no room left or is read-only
     */
    public int read(ByteBuffer dst) throws IOException {
        int pos = dst.position();
        int room = dst.remaining();
        checkRoom(room);
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("cannot read a frame into a read-only buffer");
        }
        readLock.lock();
        try {
            fd.enter();
            try {
                int n;
                if (dst.isDirect()) {
                    long at = readMemory.address(dst) + pos;
                    if (room >= MAX_FRAME) {
                        n = fd.read(at, room, readTimeoutMillis, name);
                    } else {
                        long bounce = readMemory.bounce();
                        n = fd.read(bounce, MAX_FRAME, readTimeoutMillis, name);
                        LibC.memcpy(at, bounce, Math.min(n, room));
                    }
                } else {
                    n = fd.read(readMemory.bounce(), MAX_FRAME, readTimeoutMillis, name);
                    readMemory.get(dst.array(), dst.arrayOffset() + pos, Math.min(n, room));
                }
                dst.position(pos + Math.min(n, room));
                return n;
            } finally {
                fd.leave();
            }
        } finally {
            readLock.unlock();
        }
    }

    /**
     * Reads one frame into {@code b[off..off+len)}, waiting up to the read timeout.
     * Blocks its thread in native code: from a virtual thread it holds the carrier for the whole wait
     * (other virtual threads may wait for a carrier meanwhile); read on a platform thread.
     *
     * @return the frame's length; larger than {@code len} when it was truncated to {@code len} bytes
     * @throws TapTimeoutException when no frame came within the read timeout
     * @throws java.nio.channels.ClosedChannelException when the device is closed
     * @throws java.nio.channels.AsynchronousCloseException when it was closed while waiting
     * @throws TapIOException when the kernel reports an error on the read
     * @throws IllegalArgumentException when {@code len} is 0
     * @throws IndexOutOfBoundsException when {@code off} and {@code len} do not fit {@code b}
     */
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        checkRoom(len);
        readLock.lock();
        try {
            return readInto(b, off, len, readTimeoutMillis);
        } finally {
            readLock.unlock();
        }
    }

    /** Like {@link #read(byte[], int, int)} but returns 0 at once when no frame is queued. */
    int readNow(byte[] b, int off, int len) throws IOException {
        if (!readLock.tryLock()) {
            return 0;
        }
        try {
            return Math.max(0, readInto(b, off, len, TapFd.NO_WAIT));
        } finally {
            readLock.unlock();
        }
    }

    /** One frame into {@code b[off..off+len)} through the native buffer, as {@link TapFd#read}; under the read lock. */
    private int readInto(byte[] b, int off, int len, int timeoutMillis) throws IOException {
        fd.enter();
        try {
            int n = fd.read(readMemory.bounce(), MAX_FRAME, timeoutMillis, name);
            if (n > 0) {
                readMemory.get(b, off, Math.min(n, len));
            }
            return n;
        } finally {
            fd.leave();
        }
    }

    /**
     * Sends the bytes from {@code src}'s position to its limit as one frame; the position moves to
     * the limit. Direct buffers are written from in place.
     *
     * @return the frame's length
     * @throws IllegalArgumentException for a frame shorter than an Ethernet header (TAP) or empty
     *     (TUN), or longer than {@link #MAX_FRAME}
     * @throws TapIOException EIO when the device is down, EINVAL when the kernel rejects the frame
     * @throws java.nio.channels.ClosedChannelException when the device is closed
     */
    public int write(ByteBuffer src) throws IOException {
        int pos = src.position();
        int len = src.remaining();
        checkFrame(len);
        synchronized (writeLock) {
            fd.enter();
            try {
                int n;
                if (src.isDirect()) {
                    n = fd.write(writeMemory.address(src) + pos, len, name);
                } else {
                    if (src.hasArray()) {
                        writeMemory.put(src.array(), src.arrayOffset() + pos, len);
                    } else {
                        if (writeScratch == null) {
                            writeScratch = new byte[MAX_FRAME];
                        }
                        src.get(pos, writeScratch, 0, len);
                        writeMemory.put(writeScratch, 0, len);
                    }
                    n = fd.write(writeMemory.bounce(), len, name);
                }
                src.position(pos + len);
                return n;
            } finally {
                fd.leave();
            }
        }
    }

    /**
     * Sends {@code b[off..off+len)} as one frame.
     *
     * @throws IllegalArgumentException for a frame shorter than an Ethernet header (TAP) or empty
     *     (TUN), or longer than {@link #MAX_FRAME}
     * @throws TapIOException EIO when the device is down, EINVAL when the kernel rejects the frame
     * @throws java.nio.channels.ClosedChannelException when the device is closed
     * @throws IndexOutOfBoundsException when {@code off} and {@code len} do not fit {@code b}
     */
    public int write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        checkFrame(len);
        synchronized (writeLock) {
            fd.enter();
            try {
                writeMemory.put(b, off, len);
                return fd.write(writeMemory.bounce(), len, name);
            } finally {
                fd.leave();
            }
        }
    }

    /**
     * Sends {@code frames[offset..offset+count)} as {@code count} frames, in order, each from its
     * position to its limit as they are when the call begins (one buffer given {@code k} times is
     * sent {@code k} times), with one system call for up to 64 frames where the kernel has io_uring
     * (one per frame otherwise: the results are the same). When the call ends the position of each
     * buffer sent is at its limit. The buffers must be direct; they are written from in place.
     *
     * @return {@code count}
     * @throws IllegalArgumentException when a buffer is not direct, or holds a frame shorter than an
     *     Ethernet header (TAP) or empty (TUN), or longer than {@link #MAX_FRAME}; nothing is sent then
     * @throws TapIOException EIO when the device is down, EINVAL when the kernel rejects a frame: the
     *     frames before it were sent (their positions moved), the ones from it on were not
     * @throws java.nio.channels.ClosedChannelException when the device is closed
     * @throws IndexOutOfBoundsException when {@code offset} and {@code count} do not fit {@code frames}
     * @throws NullPointerException when one of the buffers is null
     */
    public int writeBatch(ByteBuffer[] frames, int offset, int count) throws IOException {
        Objects.checkFromIndexSize(offset, count, frames.length);
        for (int i = offset; i < offset + count; i++) {
            if (!frames[i].isDirect()) {
                throw new IllegalArgumentException(
                        "writeBatch needs direct buffers; frame " + (i - offset) + " is not");
            }
            checkFrame(frames[i].remaining());
        }
        synchronized (writeLock) {
            fd.enter();
            try {
                if (writeBatch == null) {
                    writeBatch = FrameBatch.open(name);
                    CLEANER.register(this, writeBatch::close);
                }
                writeBatch.write(fd, name, frames, offset, count);
                return count;
            } finally {
                fd.leave();
            }
        }
    }

    /**
     * Reads up to {@code count} frames into {@code dsts[offset..)}, one frame per buffer from its
     * position: waits up to the read timeout for the first frame, then takes the frames already
     * queued (without waiting for more), with one system call for up to 64 frames where the kernel
     * has io_uring; a read error after the first frame ends the batch with the frames read, and the
     * next call reports it if it lasts. Each buffer that receives a frame has its position advanced
     * by the bytes stored;
     * a frame longer than its buffer's room is cut to it, and unlike {@link #read(ByteBuffer)} the
     * result does not tell: give every buffer room for the MTU plus 18 bytes. The buffers must be
     * direct, each given once; they are read into in place.
     * Blocks its thread in native code: from a virtual thread it holds the carrier for the whole wait
     * (other virtual threads may wait for a carrier meanwhile); read on a platform thread.
     *
     * @return the number of frames read, 1 to {@code count}: they are in {@code dsts[offset..offset+n)}
     * @throws TapTimeoutException when no frame came within the read timeout
     * @throws java.nio.channels.ClosedChannelException when the device is closed
     * @throws java.nio.channels.AsynchronousCloseException when it was closed while waiting
     * @throws TapIOException when the kernel reports an error on a read
     * @throws IllegalArgumentException when {@code count} is 0, or a buffer is not direct, read-only or full
     * @throws IndexOutOfBoundsException when {@code offset} and {@code count} do not fit {@code dsts}
     * @throws NullPointerException when one of the buffers is null
     */
    public int readBatch(ByteBuffer[] dsts, int offset, int count) throws IOException {
        Objects.checkFromIndexSize(offset, count, dsts.length);
        if (count == 0) {
            throw new IllegalArgumentException("no buffer to read a frame into (count 0)");
        }
        for (int i = offset; i < offset + count; i++) {
            if (!dsts[i].isDirect() || dsts[i].isReadOnly()) {
                throw new IllegalArgumentException(
                        "readBatch needs writable direct buffers; buffer " + (i - offset) + " is not");
            }
            checkRoom(dsts[i].remaining());
        }
        readLock.lock();
        try {
            fd.enter();
            try {
                if (readBatch == null) {
                    readBatch = FrameBatch.open(name);
                    CLEANER.register(this, readBatch::close);
                }
                return readBatch.read(fd, name, readTimeoutMillis, dsts, offset, count);
            } finally {
                fd.leave();
            }
        } finally {
            readLock.unlock();
        }
    }

    /** Whether the batch path of this device goes through io_uring (false before its first use). */
    boolean batchUsesUring() {
        synchronized (writeLock) {
            return writeBatch != null && writeBatch.usesUring();
        }
    }

    private void checkRoom(int room) {
        if (room < 1) {
            throw new IllegalArgumentException("no room to read a frame into (0 bytes)");
        }
    }

    private void checkFrame(int len) {
        if (len < minWrite) {
            throw new IllegalArgumentException(
                    kind == DeviceKind.TAP
                            ? "a frame for " + label() + " needs at least " + minWrite + " bytes ("
                                    + (packetInfo() ? "4-byte packet info + " : "") + "14-byte Ethernet header), got "
                                    + len
                            : "a packet for " + label() + " needs at least " + minWrite + " byte(s), got " + len);
        }
        if (len > MAX_FRAME) {
            throw new IllegalArgumentException("a frame of " + len + " bytes is longer than the maximum " + MAX_FRAME);
        }
    }

    /**
     * Frames as an {@link java.io.InputStream}: one read, one frame. See {@link FrameInputStream}.
     * The same stream on every call, as a socket's: a frame started by one caller's {@code read()}
     * is finished by the next, whoever calls.
     */
    public FrameInputStream inputStream() {
        return input;
    }

    /**
     * Frames as an {@link java.io.OutputStream}: one write, one frame. See {@link FrameOutputStream}.
     * The same stream on every call, as a socket's.
     */
    public FrameOutputStream outputStream() {
        return output;
    }

    /**
     * Wakes any blocked reader, waits for it to leave, and closes the fd; then frees the native
     * buffers of the frame path. A non-persistent device disappears with its last queue: when it has
     * one queue, close returns once it is gone from its namespace (up to {@link #GONE_NANOS}; a
     * process another thread is starting holds it until its exec), so its name can be taken again at once.
     */
    @Override
    protected void implClose() {
        int gone = !persistent && !isMultiQueue() && isOpen() ? indexUnlessGone() : 0;
        // every read and write uses its native memory only between fd.enter() and fd.leave(): once
        // fd.close() has returned, none is inside and every later one is refused, so it can go
        fd.close();
        synchronized (writeLock) {
            writeMemory.free();
            if (writeBatch != null) {
                writeBatch.close();
            }
        }
        readLock.lock();
        try {
            readMemory.free();
            if (readBatch != null) {
                readBatch.close();
            }
        } finally {
            readLock.unlock();
        }
        NetlinkHandle h;
        synchronized (this) {
            h = netlink;
            netlink = null;
        }
        if (h != null) {
            if (gone != 0) {
                awaitGone(h, gone);
            }
            h.close();
        }
    }

    /** How long {@link #close()} waits for the kernel to delete a device that goes with its fd. */
    private static final long GONE_NANOS = 5_000_000_000L;

    /** The device's index, proven as {@link #ifindex()} proves it; 0 when it is no longer in its namespace. */
    private int indexUnlessGone() {
        try {
            return provenIndex();
        } catch (RuntimeException e) {
            return 0; // moved, deleted or closed meanwhile: nothing to wait for here
        }
    }

    /**
     * Waits until {@code h}'s namespace has no device {@code index}, up to {@link #GONE_NANOS}: a child
     * between its fork and its exec holds every descriptor of the JVM (close-on-exec closes them at the
     * exec), and the kernel deletes the device with the last reference to its file.
     */
    private static void awaitGone(NetlinkHandle h, int index) {
        long deadline = System.nanoTime() + GONE_NANOS;
        try {
            while (h.linkGet(index).isPresent() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(1_000_000);
            }
        } catch (RuntimeException e) {
            // the namespace is gone: so is the device
        }
    }

    // ---------------------------------------------------------------- configuration (rtnetlink)

    /**
     * Sets the device administratively up ({@code ip link set NAME up}) and has the kernel finish
     * that before returning ({@link io.github.netvirt.netlink.NetlinkHandle#linkUp}).
     *
     * @throws io.github.netvirt.netlink.NetlinkException if the kernel refuses
     * @throws IllegalStateException if this device is closed, or no longer in its namespace (moved or deleted)
     */
    public void up() {
        configure(index -> netlink().linkUp(index));
    }

    /**
     * Sets the device administratively down; writes then fail with EIO.
     *
     * @throws io.github.netvirt.netlink.NetlinkException if the kernel refuses
     * @throws IllegalStateException if this device is closed, or no longer in its namespace (moved or deleted)
     */
    public void down() {
        configure(index -> netlink().linkSetDown(index));
    }

    /**
     * Sets the MTU (68..65521 for a TAP; the kernel rejects others with EINVAL).
     *
     * @throws IllegalArgumentException if {@code mtu} is outside {@link Mtu} 68..65535
     * @throws io.github.netvirt.netlink.NetlinkException EINVAL for an MTU the kernel rejects
     * @throws IllegalStateException if this device is closed, or no longer in its namespace (moved or deleted)
     */
    public void setMtu(int mtu) {
        Mtu.check(mtu);
        configure(index -> netlink().linkSetMtu(index, mtu));
    }

    /**
     * Turns IPv6 off (or on) for the device: {@code net.ipv6.conf.NAME.disable_ipv6}, a sysctl the
     * kernel offers by name only, under the name the device behind the fd has at the write (see
     * {@link Sysctls#ipv6Disabled(java.util.function.Supplier, boolean)}): never another device's that
     * took this one's name after a rename. With an MTU below 1280 the device has no IPv6: it is off
     * already, and cannot be turned on.
     *
     * @throws UncheckedIOException if the kernel refuses the write
     * @throws IllegalStateException if this device is closed, or no longer in its namespace (moved or
     *     deleted), or renamed again and again during the write, or has no IPv6 to turn on
     */
    public void setIpv6Disabled(boolean disabled) {
        Sysctls.of(namespace).ipv6Disabled(this::nameHere, disabled);
    }

    /** The name the device behind the fd has now, in {@link #namespace}. */
    private String nameHere() {
        try {
            fd.enter();
        } catch (ClosedChannelException e) {
            throw new IllegalStateException(this + " is closed");
        }
        try {
            String now = currentName();
            checkStillInNamespace();
            return now;
        } finally {
            fd.leave();
        }
    }

    /**
     * Sets the TAP's Ethernet address (a TUN has none).
     *
     * @throws IllegalArgumentException if {@code mac} is a multicast address
     * @throws NullPointerException if {@code mac} is null
     * @throws io.github.netvirt.netlink.NetlinkException if the kernel refuses
     * @throws IllegalStateException if this is a TUN device, or it is closed, or no longer in its namespace
     */
    public void setMac(MacAddress mac) {
        Objects.requireNonNull(mac, "mac");
        if (kind == DeviceKind.TUN) {
            throw new IllegalStateException(label() + " is a TUN device: it has no MAC address");
        }
        if (mac.isMulticast()) {
            throw new IllegalArgumentException("MAC " + mac + " is a multicast address: not valid for a device");
        }
        configure(index -> netlink().linkSetMac(index, mac));
    }

    /**
     * What the kernel reports about the device now: state, MTU, MAC, master, counters.
     *
     * @throws io.github.netvirt.netlink.NetlinkException if the request fails
     * @throws IllegalStateException if this device is closed, or no longer in its namespace
     */
    public Link link() {
        return query(index -> netlink().linkGet(index).orElseThrow(() -> gone(index, null)));
    }

    /** {@link #query} for a request that returns nothing. */
    private void configure(IntConsumer request) {
        query(index -> {
            request.accept(index);
            return null;
        });
    }

    /**
     * Runs {@code request} with the ifindex just proven to be this device's in its namespace (see
     * {@link #ifindex()}): never with one remembered, which another device may hold by now. ENODEV
     * (the device went between the proof and the request) is the device no longer being there.
     * Rtnetlink has no request "by this tun fd": a device that moves away and whose index another
     * takes in the microseconds between the proof and the request is not seen.
     */
    private <T> T query(IntFunction<T> request) {
        int index = provenIndex();
        try {
            return request.apply(index);
        } catch (NetlinkException e) {
            if (e.isNoDevice()) {
                throw gone(index, e);
            }
            throw e;
        }
    }

    private IllegalStateException gone(int index, Throwable cause) {
        return new IllegalStateException(
                label() + " (ifindex " + index + ") is no longer in " + namespace + " (moved or deleted)", cause);
    }

    /**
     * The device's ifindex in the namespace it was opened in, looked up anew on every call while
     * the device is open (after close: the one last looked up). It is the index of the device
     * behind this fd, looked up under the name the kernel gives that device now: a device renamed
     * since open is found under its new name, and another device that took its old name is not
     * taken for it. A device moved to another namespace since open has no index here: the kernel
     * tells which namespace it is in now (TUNGETDEVNETNS), and another device of its name, or at
     * its old index, in this one is not taken for it. {@link #up}, {@link #down}, {@link #setMtu},
     * {@link #setMac} and {@link #link} look it up the same way for each request.
     *
     * @throws io.github.netvirt.netlink.NetlinkException if the lookup fails
     * @throws TapException if the kernel cannot tell the device's current name (TUNGETIFF) or
     *     namespace (TUNGETDEVNETNS; EPERM without CAP_NET_ADMIN over the namespace it is in)
     * @throws IllegalStateException if this device was closed before the index was first read, or
     *     the device is no longer in its namespace (moved to another one, or deleted)
     */
    public int ifindex() {
        if (isOpen()) {
            try {
                return provenIndex();
            } catch (IllegalStateException e) {
                if (isOpen()) {
                    throw e;
                }
            }
        }
        synchronized (this) {
            if (ifindex == 0) {
                throw new IllegalStateException(this + " was closed before its ifindex was first read");
            }
            return ifindex;
        }
    }

    /** {@link #lookUpIndex()}, remembered for {@link #ifindex()} after close. */
    private int provenIndex() {
        int index = lookUpIndex();
        synchronized (this) {
            ifindex = index;
        }
        return index;
    }

    /**
     * The index of the link named as the device behind the fd is named now (TUNGETIFF), kept only
     * if that name is still the device's after the lookup and the device is still in this
     * namespace (TUNGETDEVNETNS). The kernel has no ioctl for a tun fd's ifindex (SIOCGIFINDEX on
     * it is EINVAL), so one window remains: the device renamed or moved away and back between the
     * TUNGETIFFs while another device held the name here at the lookup.
     */
    private int lookUpIndex() {
        try {
            fd.enter();
        } catch (ClosedChannelException e) {
            throw new IllegalStateException(this + " is closed");
        }
        try {
            NetlinkHandle h = netlink();
            String now = currentName();
            for (int tries = 1; ; tries++) {
                Optional<Link> link = h.linkGet(now);
                String after = currentName();
                if (after.equals(now)) {
                    checkStillInNamespace();
                    return link.orElseThrow(() -> new IllegalStateException(
                                    label() + " (now " + after + ") is no longer in " + namespace))
                            .index();
                }
                if (tries == 8) {
                    throw new IllegalStateException(label() + " was renamed " + tries + " times during its lookup");
                }
                now = after;
            }
        } finally {
            fd.leave();
        }
    }

    /** Throws unless the device behind the fd is in {@link #namespace} now. Inside {@code fd.enter()}. */
    private void checkStillInNamespace() {
        long elsewhere = namespaceElsewhere(fd.fd());
        if (elsewhere == GONE) {
            throw deleted();
        }
        if (elsewhere != HERE) {
            throw new IllegalStateException(label() + " is no longer in " + namespace
                    + ": it was moved to another namespace (net:[" + elsewhere + "])");
        }
    }

    /** {@link #namespaceElsewhere}: the device is in {@link #namespace}. */
    private static final long HERE = 0;
    /** {@link #namespaceElsewhere}: the device was deleted. */
    private static final long GONE = -1;

    /**
     * {@link #HERE} if the device behind tun fd {@code tunFd} is in {@link #namespace} now,
     * {@link #GONE} if it was deleted, else the nsfs inode of the namespace it is in: the namespace
     * fd the kernel hands out (TUNGETDEVNETNS) and the one {@link #namespace} holds are compared by
     * nsfs inode and device while both are open.
     */
    private long namespaceElsewhere(int tunFd) {
        int devNs = LibC.ioctl(tunFd, Ifreq.TUNGETDEVNETNS, 0L);
        if (devNs < 0) {
            int errno = LibC.errno();
            if (errno == Errno.EBADFD.code()) {
                return GONE;
            }
            throw new TapException("cannot tell which namespace " + label() + " is in now (TUNGETDEVNETNS)", errno);
        }
        try (NetNamespace.Hold h = namespace.hold()) {
            FileStat here = FileStat.of(h.fd());
            FileStat now = FileStat.of(devNs);
            return here.isSameFile(now) ? HERE : now.inode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Sys.closeQuietly(devNs);
        }
    }

    /** The name the kernel gives the device behind the fd now (it follows renames); inside {@code fd.enter()}. */
    private String currentName() {
        String now = deviceName(fd.fd());
        if (now == null) {
            throw deleted();
        }
        return now;
    }

    /** The name of the device behind tun fd {@code tunFd} now (TUNGETIFF); null if it was deleted. */
    private String deviceName(int tunFd) {
        byte[] got = new byte[Ifreq.SIZE];
        try {
            LibC.ioctl(tunFd, Ifreq.TUNGETIFF, got);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.EBADFD.code()) {
                return null;
            }
            throw new TapException("cannot read back the name of " + label(), e.getErrorCode());
        }
        return Ifreq.name(got);
    }

    /** A device deleted under its open fd ({@code ip link del}) leaves the fd attached to none: the TUN ioctls answer EBADFD. */
    private IllegalStateException deleted() {
        return new IllegalStateException(label() + " is no longer in " + namespace + ": it was deleted");
    }

    private synchronized NetlinkHandle netlink() {
        if (!isOpen()) {
            throw new IllegalStateException(this + " is closed");
        }
        if (netlink == null) {
            netlink = NetlinkHandle.open(namespace);
        }
        return netlink;
    }

    /** The native bounce buffers made so far (read, write), for tests that check close frees them. */
    List<Memory> bounceBuffers() {
        return Stream.of(readMemory.memory(), writeMemory.memory())
                .filter(Objects::nonNull)
                .toList();
    }

    /** The fd number, for tests that check it is not reused under a reader. */
    int fdNumber() {
        return fd.fd();
    }

    private String label() {
        return kind.name().toLowerCase() + " " + name;
    }

    @Override
    public String toString() {
        return "TapDevice[" + label() + (isOpen() ? "" : ", closed") + "]";
    }
}
