package io.github.netvirt.netns.testing;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Makes the kernel answer every {@code openat} with {@code O_TMPFILE} in this process with
 * EOPNOTSUPP, as a file system without unnamed files does (an overlayfs before Linux 6.6 as
 * {@code /run}): a seccomp filter on all of its threads, which it cannot take off again. For a child
 * JVM; x86-64 and aarch64.
 */
public final class NoUnnamedFiles {
    private static final int EOPNOTSUPP = 95;

    private interface C extends Library {
        long syscall(long number, Object... args);
    }

    private NoUnnamedFiles() {}

    /** The names of the staging files under {@code /run/netns}, of any process. */
    public static List<String> stagingFiles() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/run/netns"))) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(".netvirt-take-"))
                    .toList();
        }
    }

    /** Whether {@link #install} knows this architecture's system call numbers: x86-64 and aarch64. */
    public static boolean supported() {
        return List.of("amd64", "x86_64", "aarch64").contains(System.getProperty("os.arch"));
    }

    public static void install() {
        if (!supported()) {
            throw new IllegalStateException("no seccomp filter for " + System.getProperty("os.arch"));
        }
        boolean arm = System.getProperty("os.arch").equals("aarch64");
        int auditArch = arm ? 0xC00000B7 : 0xC000003E;
        int openat = arm ? 56 : 257;
        long seccomp = arm ? 277 : 317;
        int tmpFile = 020000000; // __O_TMPFILE: without O_DIRECTORY, the same on both
        // seccomp_data: int nr at 0, u32 arch at 4, u64 args[6] from 16: flags (args[2]) at 32
        int[][] program = {
            {0x20, 0, 0, 4}, // ld arch
            {0x15, 0, 4, auditArch}, // jeq: else allow
            {0x20, 0, 0, 0}, // ld nr
            {0x15, 0, 2, openat}, // jeq openat: else allow
            {0x20, 0, 0, 32}, // ld flags (low half)
            {0x45, 1, 0, tmpFile}, // jset O_TMPFILE: refuse
            {0x06, 0, 0, 0x7fff0000}, // ret allow
            {0x06, 0, 0, 0x00050000 | EOPNOTSUPP}, // ret errno
        };
        Memory filter = new Memory(8L * program.length);
        for (int i = 0; i < program.length; i++) {
            filter.setShort(8L * i, (short) program[i][0]);
            filter.setByte(8L * i + 2, (byte) program[i][1]);
            filter.setByte(8L * i + 3, (byte) program[i][2]);
            filter.setInt(8L * i + 4, program[i][3]);
        }
        Memory prog = new Memory(16);
        prog.clear();
        prog.setShort(0, (short) program.length);
        prog.setPointer(8, filter);
        C c = Native.load("c", C.class);
        // SECCOMP_SET_MODE_FILTER (1), SECCOMP_FILTER_FLAG_TSYNC (1): every thread of the JVM
        long r = c.syscall(seccomp, 1, 1, prog);
        if (r != 0) {
            throw new IllegalStateException("seccomp refused the filter: " + r + ", errno " + Native.getLastError());
        }
    }
}
