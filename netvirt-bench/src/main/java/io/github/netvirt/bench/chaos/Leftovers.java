package io.github.netvirt.bench.chaos;

import io.github.netvirt.netlink.Link;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the chaos workload's topologies left on the machine, found by the workload's own marks
 * only: namespace and device names that start with its base name, mounts under /run/netns with
 * those names, crash records in its run directory or of its child JVMs, processes whose
 * environment carries its token. Other users' objects are never counted nor removed.
 */
final class Leftovers {
    private static final Path NETNS = Path.of("/run/netns");
    private static final Path RECORDS = Path.of("/run/netvirt");

    private final String base;
    private final String token;
    private final Path runDir;
    private final List<Long> children;

    Leftovers(String base, String token, Path runDir, List<Long> children) {
        this.base = base;
        this.token = token;
        this.runDir = runDir;
        this.children = children;
    }

    record Count(
            int namespaces, int named, int held, int devices, int rootDevices, int mounts, int records, int processes) {
        @Override
        public String toString() {
            return "namespaces=" + namespaces + " (named " + named + ", held by processes " + held + ") devices="
                    + devices + " (root namespace " + rootDevices + ") mounts=" + mounts + " records=" + records
                    + " processes=" + processes;
        }
    }

    Count count() throws IOException, InterruptedException {
        List<String> named = namedNamespaces();
        Set<Long> namedInodes = new LinkedHashSet<>();
        int rootDevices = rootDevices().size();
        int devices = rootDevices;
        for (String n : named) {
            try {
                namedInodes.add((Long) Files.getAttribute(NETNS.resolve(n), "unix:ino"));
            } catch (IOException | RuntimeException e) {
                // an empty file left by a delete cut short: still a leftover name
            }
            devices += devicesIn("ip", "-n", n, "-o", "link", "show");
        }
        List<Long> processes = processes();
        Set<Long> held = new LinkedHashSet<>();
        long rootNs = netnsInode(1);
        for (long pid : processes) {
            long ns = netnsInode(pid);
            if (ns > 0 && ns != rootNs && !namedInodes.contains(ns) && held.add(ns)) {
                devices += devicesIn("nsenter", "-t", Long.toString(pid), "-n", "ip", "-o", "link", "show");
            }
        }
        return new Count(
                named.size() + held.size(),
                named.size(),
                held.size(),
                devices,
                rootDevices,
                mounts().size(),
                records().size(),
                processes.size());
    }

    /** Removes everything {@link #count()} finds; returns a summary. */
    String removeAll() {
        List<String> done = new ArrayList<>();
        try {
            int killed = 0;
            for (long pid : processes()) {
                if (ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false)) {
                    killed++;
                }
            }
            done.add("processes " + killed);
            int links = 0;
            List<String> root = rootDevices();
            if (!root.isEmpty()) {
                try (NetNamespace ns = NetNamespace.root();
                        NetlinkHandle h = NetlinkHandle.open(ns)) {
                    for (String name : root) {
                        try {
                            h.linkDel(name);
                            links++;
                        } catch (RuntimeException e) {
                            // a veth end that went with its peer
                        }
                    }
                }
            }
            done.add("root devices " + links);
            int namespaces = 0;
            for (String n : namedNamespaces()) {
                try {
                    NetNamespace.delete(n);
                    namespaces++;
                } catch (RuntimeException e) {
                    done.add("(" + n + ": " + e.getMessage() + ")");
                }
            }
            done.add("named namespaces " + namespaces);
            int records = 0;
            for (Path r : records()) {
                if (Files.deleteIfExists(r)) {
                    records++;
                }
            }
            Files.deleteIfExists(runDir);
            done.add("records " + records);
        } catch (IOException | RuntimeException e) {
            done.add("failed: " + e);
        }
        return String.join(", ", done);
    }

    private List<String> namedNamespaces() throws IOException {
        List<String> out = new ArrayList<>();
        if (Files.isDirectory(NETNS)) {
            try (DirectoryStream<Path> d = Files.newDirectoryStream(NETNS, base + "*")) {
                d.forEach(p -> out.add(p.getFileName().toString()));
            }
        }
        return out;
    }

    private List<String> rootDevices() {
        List<String> out = new ArrayList<>();
        try (NetNamespace ns = NetNamespace.root();
                NetlinkHandle h = NetlinkHandle.open(ns)) {
            for (Link l : h.linkList()) {
                if (l.name().startsWith(base)) {
                    out.add(l.name());
                }
            }
        }
        return out;
    }

    private List<String> mounts() throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            if (f.length > 4 && f[4].startsWith(NETNS + "/" + base)) {
                out.add(f[4]);
            }
        }
        return out;
    }

    private List<Path> records() throws IOException {
        List<Path> out = new ArrayList<>();
        if (Files.isDirectory(runDir)) {
            try (DirectoryStream<Path> d = Files.newDirectoryStream(runDir)) {
                for (Path p : d) {
                    if (!p.getFileName().toString().startsWith(".")) { // cleanup's .lock is not a record
                        out.add(p);
                    }
                }
            }
        }
        List<Long> pids;
        synchronized (children) {
            pids = new ArrayList<>(children);
        }
        pids.add(ProcessHandle.current().pid());
        if (Files.isDirectory(RECORDS) && !RECORDS.equals(runDir)) {
            try (DirectoryStream<Path> d = Files.newDirectoryStream(RECORDS)) {
                for (Path p : d) {
                    String name = p.getFileName().toString();
                    if (pids.stream().anyMatch(pid -> name.startsWith(pid + "-"))) {
                        out.add(p);
                    }
                }
            }
        }
        return out;
    }

    /** Processes whose environment carries {@code NETVIRT_CHAOS=token}. */
    private List<Long> processes() {
        byte[] mark = (ChaosBench.MARK + "=" + token + "\0").getBytes(StandardCharsets.UTF_8);
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> d = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : d) {
                try {
                    byte[] env = Files.readAllBytes(p.resolve("environ"));
                    if (contains(env, mark)) {
                        out.add(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException | RuntimeException e) {
                    // gone meanwhile, or a kernel thread
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            if (i > 0 && hay[i - 1] != 0) {
                continue;
            }
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static long netnsInode(long pid) {
        try {
            return (Long) Files.getAttribute(Path.of("/proc/" + pid + "/ns/net"), "unix:ino");
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Devices other than lo that {@code ip -o link} lists. */
    private static int devicesIn(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        int n = 0;
        for (String line : out.split("\n")) {
            if (line.matches("\\d+: .*") && !line.matches("\\d+: lo[:@].*")) {
                n++;
            }
        }
        return n;
    }
}
