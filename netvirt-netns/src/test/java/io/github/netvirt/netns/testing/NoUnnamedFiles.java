package io.github.netvirt.netns.testing;

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
        return SeccompFilter.supported();
    }

    public static void install() {
        SeccompFilter.create()
                .refuseWhenArgHas(SeccompFilter.Call.OPENAT, 2, 020000000, EOPNOTSUPP) // flags: __O_TMPFILE
                .installOnEveryThread();
    }
}
