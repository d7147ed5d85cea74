package io.github.netvirt.netns.testing;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.util.ArrayList;
import java.util.List;

/**
 * A seccomp filter for tests: the kernel answers chosen system calls with an errno, as a kernel or a
 * container runtime that refuses them does. Once installed it cannot be taken off: install it on a
 * thread of the test's own that ends with the test, or in a child JVM. x86-64 and aarch64.
 */
public final class SeccompFilter {
    private static final boolean ARM = "aarch64".equals(System.getProperty("os.arch"));

    /** The system calls a filter can name, with their numbers on x86-64 and aarch64. */
    public enum Call {
        READ(0, 63),
        OPENAT(257, 56),
        IO_URING_SETUP(425, 425),
        IO_URING_ENTER(426, 426);

        final int nr;

        Call(int x86, int arm) {
            this.nr = ARM ? arm : x86;
        }
    }

    private interface C extends Library {
        long syscall(long number, Object... args);
    }

    private static final int LD = 0x20; // BPF_LD | BPF_W | BPF_ABS: a word of seccomp_data
    private static final int JEQ = 0x15;
    private static final int JSET = 0x45;
    private static final int RET = 0x06;
    private static final int ALLOW = 0x7fff0000;
    private static final int ERRNO = 0x00050000;

    private final List<List<int[]>> rules = new ArrayList<>();

    private SeccompFilter() {}

    /** Whether this architecture's system call numbers are known: x86-64 and aarch64. */
    public static boolean supported() {
        return List.of("amd64", "x86_64", "aarch64").contains(System.getProperty("os.arch"));
    }

    public static SeccompFilter create() {
        return new SeccompFilter();
    }

    /** Every {@code call} fails with {@code errno}. */
    public SeccompFilter refuse(Call call, int errno) {
        return rule(call, List.of(), errno);
    }

    /** {@code call} fails with {@code errno} when its argument {@code arg} (from 0) is {@code value}. */
    public SeccompFilter refuseWhenArgIs(Call call, int arg, long value, int errno) {
        // seccomp_data: int nr at 0, u32 arch at 4, u64 args[6] from 16, little-endian halves
        return rule(
                call,
                List.of(
                        new int[] {LD, 0, 0, 16 + 8 * arg},
                        new int[] {JEQ, 0, 0, (int) value},
                        new int[] {LD, 0, 0, 20 + 8 * arg},
                        new int[] {JEQ, 0, 0, (int) (value >>> 32)}),
                errno);
    }

    /** {@code call} fails with {@code errno} when its argument {@code arg} has one of {@code bits} (low 32). */
    public SeccompFilter refuseWhenArgHas(Call call, int arg, int bits, int errno) {
        return rule(call, List.of(new int[] {LD, 0, 0, 16 + 8 * arg}, new int[] {JSET, 0, 0, bits}), errno);
    }

    private SeccompFilter rule(Call call, List<int[]> conditions, int errno) {
        List<int[]> block = new ArrayList<>();
        block.add(new int[] {LD, 0, 0, 0});
        block.add(new int[] {JEQ, 0, 0, call.nr});
        conditions.forEach(c -> block.add(c.clone()));
        block.add(new int[] {RET, 0, 0, ERRNO | errno});
        for (int i = 0; i < block.size(); i++) {
            int[] insn = block.get(i);
            if (insn[0] == JEQ || insn[0] == JSET) {
                insn[2] = block.size() - 1 - i; // else: to the next rule
            }
        }
        rules.add(block);
        return this;
    }

    /** Installs the filter on the calling thread, and on the threads it starts from now on. */
    public void installOnThisThread() {
        install(0);
    }

    /** Installs the filter on every thread of this process. */
    public void installOnEveryThread() {
        install(1); // SECCOMP_FILTER_FLAG_TSYNC
    }

    private void install(int flags) {
        if (!supported()) {
            throw new IllegalStateException("no seccomp filter for " + System.getProperty("os.arch"));
        }
        List<int[]> program = new ArrayList<>();
        int body = rules.stream().mapToInt(List::size).sum();
        program.add(new int[] {LD, 0, 0, 4});
        program.add(new int[] {JEQ, 0, body, ARM ? 0xC00000B7 : 0xC000003E}); // another arch: allow
        rules.forEach(program::addAll);
        program.add(new int[] {RET, 0, 0, ALLOW});
        Memory filter = new Memory(8L * program.size());
        for (int i = 0; i < program.size(); i++) {
            int[] insn = program.get(i);
            filter.setShort(8L * i, (short) insn[0]);
            filter.setByte(8L * i + 2, (byte) insn[1]);
            filter.setByte(8L * i + 3, (byte) insn[2]);
            filter.setInt(8L * i + 4, insn[3]);
        }
        Memory prog = new Memory(16);
        prog.clear();
        prog.setShort(0, (short) program.size());
        prog.setPointer(8, filter);
        C c = Native.load("c", C.class);
        c.syscall(ARM ? 167 : 157, 38, 1L, 0L, 0L, 0L); // prctl(PR_SET_NO_NEW_PRIVS): needed without CAP_SYS_ADMIN
        long r = c.syscall(ARM ? 277 : 317, 1, flags, prog); // seccomp(SECCOMP_SET_MODE_FILTER, ...)
        if (r != 0) {
            throw new IllegalStateException("seccomp refused the filter: " + r + ", errno " + Native.getLastError());
        }
    }
}
