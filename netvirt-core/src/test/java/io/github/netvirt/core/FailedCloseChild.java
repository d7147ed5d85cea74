package io.github.netvirt.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A JVM whose topology's close() fails in a before-close action: {@code FailedCloseChild PREFIX ADOPTED
 * DEVICE}. With ADOPTED "-", namespace "a" of a topology of two named namespaces has the action, which
 * throws: everything else is removed. Else namespace "b" is the {@code ip netns} namespace ADOPTED, and
 * its action first gives device DEVICE there the topology's device group (what a delete that failed
 * leaves: a device of the topology's in an adopted namespace), then throws. Prints what close threw,
 * the records in the run directory and the descriptors opened since before the apply ("closed"), then
 * waits for a line on stdin, runs {@link Topology#cleanup()} and prints its report, the records and the
 * descriptors again ("cleaned").
 */
public final class FailedCloseChild {
    private FailedCloseChild() {}

    public static void main(String[] args) throws Exception {
        String p = args[0];
        String adopted = args[1].equals("-") ? null : args[1];
        Path runDir = RunDir.current().path();
        // a first topology opens what a JVM keeps open once netvirt runs (netlink sockets, JNA, the jars)
        Topology.create().prefix(p + "w").ns("w").apply().close();
        Map<String, String> before = fds();
        TopologyBuilder b = Topology.create().prefix(p).ns("a").veth("v0", "b", "v1");
        Topology t = (adopted == null ? b.ns("b") : b.adopt("b", adopted)).apply();
        if (adopted == null) {
            t.namespace("a").beforeClose(() -> {
                throw new IllegalStateException("user action failed");
            });
        } else {
            String group = Integer.toUnsignedString(t.netlink("b").link("v1").group());
            t.namespace("b").beforeClose(() -> {
                Reference.run("ip", "-n", adopted, "link", "set", "dev", args[2], "group", group);
                throw new IllegalStateException("user action failed");
            });
        }
        try {
            t.close();
            System.out.println("threw nothing");
        } catch (RuntimeException e) {
            System.out.println("threw " + e.getMessage());
        }
        System.out.println("records " + records(runDir));
        System.out.println("leaked " + leaked(before));
        System.out.println("fds " + before.size() + " " + fds().size());
        System.out.println("closed");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        CleanupReport r = Topology.cleanup();
        System.out.println("removed " + r.removed());
        System.out.println("leftAlone " + r.leftAlone());
        System.out.println("records " + records(runDir));
        System.out.println("leaked " + leaked(before));
        System.out.println("fds " + before.size() + " " + fds().size());
        System.out.println("cleaned");
        System.out.flush();
    }

    private static List<String> records(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(".topology"))
                    .sorted()
                    .toList();
        }
    }

    /** The descriptors open now that were not in {@code before} (number=target), jars opened since aside. */
    private static Map<String, String> leaked(Map<String, String> before) throws IOException {
        Map<String, String> now = fds();
        now.entrySet().removeAll(before.entrySet());
        now.values().removeIf(t -> t.endsWith(".jar"));
        return now;
    }

    private static Map<String, String> fds() throws IOException {
        Map<String, String> fds = new TreeMap<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : s.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (!target.equals("/proc/" + ProcessHandle.current().pid() + "/fd")) { // the listing's own
                        fds.put(fd.getFileName().toString(), target);
                    }
                } catch (NoSuchFileException closed) {
                    // closed meanwhile
                }
            }
        }
        return fds;
    }
}
