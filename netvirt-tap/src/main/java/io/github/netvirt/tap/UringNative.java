package io.github.netvirt.tap;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * The io_uring syscalls and the memory mapping of its rings: JNA direct mapping with raw addresses,
 * as {@link TapNative}. They return -1 and leave errno in {@link Native#getLastError()}.
 */
final class UringNative {
    static {
        TapNative.load(); // sets jna.platform.library.path before JNA loads
        Native.register(UringNative.class, NativeLibrary.getInstance("c"));
    }

    static final long SYS_IO_URING_SETUP = 425;
    static final long SYS_IO_URING_ENTER = 426;
    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 1;
    static final int MAP_POPULATE = 0x8000;
    static final long MAP_FAILED = -1;

    private UringNative() {
    }

    /**
     * glibc's {@code syscall(2)}. It is variadic in C; x86-64 and aarch64 pass these integer
     * arguments in the same registers either way, and glibc's implementation reads only those.
     */
    static native long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6);

    static native long mmap(long addr, long length, int prot, int flags, int fd, long offset);

    static native int munmap(long addr, long length);

    static native int close(int fd);
}
