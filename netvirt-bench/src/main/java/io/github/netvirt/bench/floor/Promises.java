package io.github.netvirt.bench.floor;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.github.netvirt.netns.internal.FileStat;
import io.github.netvirt.netns.internal.LibC;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The system calls netvirt-core makes to keep its promises beyond the network itself, bare (system
 * {@code floor-rec2}): a crash record in {@code /run/netvirt} (the directory's attributes read, the
 * file created, a header written; per named namespace a line with its cookie, then one with the
 * inode of the file that will carry its name, then one with its cookie; closed and removed at
 * teardown), the names taken first, in name order, each through an unnamed file linked to it
 * (created, its inode read, linked), each namespace then mounted on its name, and one ioctl per
 * device brought up once all are up ({@link #activate}: what is sent at once is not dropped).
 * The record is named {@code floor-*.record}, which netvirt's cleanup never reads.
 */
final class Promises {
    private static final String DIR = "/run/netvirt";
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final String OWNER = "owner " + ProcessHandle.current().pid() + " " + startTime();

    /** The names taken that no namespace is mounted on yet. */
    private final Set<String> reserved = ConcurrentHashMap.newKeySet();

    private volatile int fd = -1;
    private volatile byte[] file;

    /** Reads the directory's attributes (making it as netvirt does when missing), creates the record and writes its header. */
    void begin(String description) throws IOException {
        try {
            FileStat.of(DIR, false);
        } catch (IOException e) {
            LibC.mkdir(LibC.path(DIR), 0700);
            FileStat.of(DIR, false);
        }
        byte[] path =
                LibC.path(DIR + "/floor-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet() + ".record");
        fd = LibC.open(
                path,
                LibC.O_WRONLY | LibC.O_CREAT | LibC.O_EXCL | LibC.O_APPEND | LibC.O_NOFOLLOW | LibC.O_CLOEXEC,
                0600);
        file = path;
        line("netvirt-record 1\n" + OWNER + "\ntopology " + description);
    }

    /**
     * Takes the name {@code name} at {@code path} as netvirt does, before its namespace is made: an
     * unnamed file made in /run/netns, its inode recorded, the file linked to the name.
     */
    void reserve(String name, byte[] path) throws IOException {
        int f = LibC.open(LibC.path(Floor.RUN_NETNS), LibC.O_TMPFILE | LibC.O_WRONLY | LibC.O_CLOEXEC, 0);
        try {
            line("ns-file " + Long.toUnsignedString(FileStat.of(f).inode()) + " " + name);
            LibC.linkat(LibC.AT_FDCWD, LibC.path("/proc/self/fd/" + f), LibC.AT_FDCWD, path, LibC.AT_SYMLINK_FOLLOW);
            reserved.add(Floor.RUN_NETNS + name);
        } finally {
            LibC.close(f);
        }
    }

    /**
     * Names the calling thread's new namespace {@code name}, whose name {@link #reserve} took at
     * {@code path}, as netvirt does: its cookie read on {@code sock} (a socket made there) and
     * recorded, the namespace mounted on the name. {@code named} runs once it is mounted.
     */
    void name(String name, byte[] path, byte[] threadNs, byte[] none, int sock, Runnable named) throws IOException {
        if (!reserved.contains(Floor.RUN_NETNS + name)) {
            throw new IOException("the name " + name + " was not taken");
        }
        byte[] v = new byte[8];
        LibC.getsockopt(sock, LibC.SOL_SOCKET, LibC.SO_NETNS_COOKIE, v, new int[] {8});
        String cookie = Long.toUnsignedString(
                ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getLong());
        line("ns " + cookie + " " + name);
        LibC.mount(threadNs, path, none, LibC.MS_BIND, null);
        reserved.remove(Floor.RUN_NETNS + name);
        named.run();
    }

    /**
     * Whether {@code /run/netns/NAME} still holds the namespace open at {@code nsFd}: the comparison
     * netvirt makes before it removes a name (a statx of each, inode and device).
     */
    static boolean stillNames(String name, int nsFd) {
        try {
            return FileStat.of(nsFd).isSameFile(FileStat.of(Floor.RUN_NETNS + name, false));
        } catch (IOException e) {
            return false;
        }
    }

    private static final long SIOCETHTOOL = 0x8946;
    private static final int ETHTOOL_GLINK = 0x0000000a;
    private static final ThreadLocal<ByteBuffer> ETHTOOL =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(72).order(ByteOrder.nativeOrder()));

    /**
     * The ioctl netvirt makes for each device an apply brought up ({@code ETHTOOL_GLINK}, as
     * {@code ethtool DEV}), which has the kernel finish bringing it up before apply returns.
     */
    static void activate(int sock, String device) throws IOException {
        ByteBuffer b = ETHTOOL.get();
        long addr = Pointer.nativeValue(Native.getDirectBufferPointer(b));
        byte[] name = device.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 16; i++) {
            b.put(i, i < name.length ? name[i] : 0);
        }
        b.putLong(16, addr + 64);
        b.putInt(64, ETHTOOL_GLINK);
        b.putInt(68, 0);
        if (LibC.ioctl(sock, SIOCETHTOOL, addr) != 0) {
            throw new IOException("ETHTOOL_GLINK " + device + ": errno " + LibC.errno());
        }
    }

    /** Closes and removes the record, and any name a failed run took and mounted nothing on. */
    void end() {
        int f = fd;
        fd = -1;
        if (f >= 0) {
            LibC.close(f);
            LibC.unlink(file);
        }
        for (String s : reserved) {
            try {
                Files.deleteIfExists(Path.of(s));
            } catch (IOException e) {
                System.err.println("# cleanup " + s + ": " + e);
            }
        }
        reserved.clear();
    }

    private void line(String s) throws IOException {
        byte[] b = (s + "\n").getBytes(StandardCharsets.UTF_8);
        if (LibC.write(fd, b, b.length) != b.length) {
            throw new IOException("cannot write the floor's record: errno " + LibC.errno());
        }
    }

    private static String startTime() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19];
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/stat", e);
        }
    }
}
