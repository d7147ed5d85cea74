package io.github.netvirt.netns;

import io.github.netvirt.netns.internal.LibC;
import io.github.netvirt.netns.internal.ProcPids;
import io.github.netvirt.netns.testing.NoUnnamedFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Run under {@code unshare -m --propagation private}: a tmpfs of its own on {@code /run}, with
 * staging files a process killed while it took a name would leave (a dead maker's, empty), and
 * others that look alike; then a kernel that makes no unnamed file ({@link NoUnnamedFiles}), and
 * namespace {@code NAME} made and deleted. Prints, for each of those files, whether it is still there.
 */
public final class NoUnnamedFilesSweepChild {
    private NoUnnamedFilesSweepChild() {}

    public static void main(String[] args) throws Exception {
        String name = args[0];
        run("mount", "-t", "tmpfs", "none", "/run");
        Files.createDirectories(Path.of("/run/netns"));
        Process gone = new ProcessBuilder("sleep", "60").start();
        long deadPid = gone.pid();
        String deadStart = ProcPids.startTime(deadPid);
        gone.destroyForcibly().waitFor();
        Process living = new ProcessBuilder("sleep", "60").start();
        long self = ProcPids.self();
        String dead = "/run/netns/.netvirt-take-" + deadPid + "-" + deadStart + "-";
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("dead", Path.of(dead + "1"));
        files.put("dead, locked", Path.of(dead + "2"));
        files.put("dead, not empty", Path.of(dead + "3"));
        files.put("dead, not a number", Path.of(dead + "x"));
        files.put("no pid", Path.of("/run/netns/.netvirt-take-9999999999999999999-" + deadStart + "-1"));
        files.put(
                "alive",
                Path.of("/run/netns/.netvirt-take-" + living.pid() + "-" + ProcPids.startTime(living.pid()) + "-1"));
        for (Path p : files.values()) {
            Files.createFile(p);
        }
        Files.writeString(files.get("dead, not empty"), "x");
        // as its maker holds it: a maker in a pid namespace /proc numbers otherwise looks dead here
        int locked = LibC.open(LibC.path(files.get("dead, locked").toString()), LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
        LibC.flock(locked, LibC.LOCK_EX);
        NoUnnamedFiles.install();
        try (NetNamespace ns = NetNamespace.create(name)) {
            System.out.println("made " + name + " " + NetNamespace.exists(name));
            ns.delete();
        }
        for (Map.Entry<String, Path> f : files.entrySet()) {
            System.out.println(f.getKey() + " " + Files.exists(f.getValue()));
        }
        System.out.println("staging files of this process " + NetNamespace.takingFiles(self, ProcPids.startTime(self)));
        living.destroyForcibly().waitFor();
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(List.of(cmd)).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed");
        }
    }
}
