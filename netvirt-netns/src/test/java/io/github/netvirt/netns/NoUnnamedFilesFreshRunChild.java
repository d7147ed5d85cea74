package io.github.netvirt.netns;

import io.github.netvirt.netns.testing.NoUnnamedFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Run under {@code unshare -m --propagation private}: a tmpfs of its own on {@code /run} (no
 * {@code /run/netns} yet), a kernel that makes no unnamed file ({@link NoUnnamedFiles}); makes and
 * deletes namespace {@code NAME}, removes {@code /run/netns} (as someone may, between two
 * namespaces), then makes and deletes {@code NAME-2}. Prints what each step gave.
 */
public final class NoUnnamedFilesFreshRunChild {
    private NoUnnamedFilesFreshRunChild() {}

    public static void main(String[] args) throws Exception {
        String name = args[0];
        run("mount", "-t", "tmpfs", "none", "/run");
        NoUnnamedFiles.install();
        try (NetNamespace ns = NetNamespace.create(name)) {
            System.out.println("made " + name + " " + NetNamespace.exists(name));
            ns.delete();
        }
        run("umount", "-l", "/run/netns"); // netvirt bind-mounted it onto itself to make it shared
        Files.delete(Path.of("/run/netns"));
        System.out.println("removed /run/netns");
        try (NetNamespace ns = NetNamespace.create(name + "-2")) {
            System.out.println("made " + name + "-2 " + NetNamespace.exists(name + "-2"));
            System.out.println("staging files " + NoUnnamedFiles.stagingFiles());
            ns.delete();
        }
        try (var s = Files.list(Path.of("/run/netns"))) {
            System.out.println("left " + s.map(p -> p.getFileName().toString()).toList());
        }
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(List.of(cmd)).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed");
        }
    }
}
