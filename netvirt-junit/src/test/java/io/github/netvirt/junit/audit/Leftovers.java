package io.github.netvirt.junit.audit;

import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.JvmThreads;
import io.github.netvirt.netns.testing.OpenFds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a run of user tests may leave behind in this JVM and on the host: named namespaces with this
 * JVM's automatic prefix, crash records of this JVM, descriptors, netvirt threads, threads outside
 * the JVM's namespace, child processes.
 */
final class Leftovers {
    static final String PID = Long.toString(ProcessHandle.current().pid());
    static final String PREFIX = "nv" + Long.toString(ProcessHandle.current().pid(), 36) + "-";

    private final OpenFds fds;
    private final Set<String> threads;
    private final Set<String> netns;
    private final Set<String> records;

    private Leftovers() throws IOException {
        fds = OpenFds.now();
        threads = netvirtThreads();
        netns = netns();
        records = records();
    }

    static Leftovers now() throws IOException {
        return new Leftovers();
    }

    /** Namespace names with this JVM's automatic prefix (any user prefix before it). */
    static Set<String> netns() {
        return Stream.of(Ip.ok("netns", "list").split("\n"))
                .map(l -> l.split(" ")[0])
                .filter(n -> n.contains(PREFIX))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<String> records() throws IOException {
        Path dir = Path.of(System.getProperty("netvirt.run.dir", "/run/netvirt"));
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(PID + "-"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** netvirt's threads of one namespace or one job (not the JVM-wide ones that idle out by design). */
    static Set<String> netvirtThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("netvirt-ns-")
                        || n.startsWith("netvirt-impair")
                        || n.startsWith("netvirt-capture")
                        || n.startsWith("netvirt-exec")
                        || n.startsWith("netvirt-stream"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Waits up to {@code seconds} for nothing to be left that was not there before; fails naming what is. */
    void awaitNoneLeft(String what, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        List<String> left;
        while (true) {
            left = new ArrayList<>();
            Set<String> n = netns();
            n.removeAll(netns);
            if (!n.isEmpty()) {
                left.add("netns " + n);
            }
            Set<String> r = records();
            r.removeAll(records);
            if (!r.isEmpty()) {
                left.add("records " + r);
            }
            Set<String> t = netvirtThreads();
            t.removeAll(threads);
            if (!t.isEmpty()) {
                left.add("threads " + t);
            }
            List<JvmThreads.Task> outside = JvmThreads.outsideRootNamespace();
            if (!outside.isEmpty()) {
                left.add("threads outside the JVM's namespace " + outside);
            }
            List<String> kids = ProcessHandle.current()
                    .descendants()
                    .filter(ProcessHandle::isAlive)
                    .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                    .toList();
            if (!kids.isEmpty()) {
                left.add("processes " + kids);
            }
            if (left.isEmpty() || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(50);
        }
        if (!left.isEmpty()) {
            throw new AssertionError(what + " left: " + left);
        }
        fds.awaitNoneLeaked(what, 5);
    }
}
