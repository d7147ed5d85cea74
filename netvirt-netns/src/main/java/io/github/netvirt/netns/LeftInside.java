package io.github.netvirt.netns;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Threads of this process still inside namespaces being closed: threads the code run by {@link
 * NetNamespace#call} started (and JDK pools it used first) stay there and keep the namespace alive
 * after its handle is closed. Only namespaces whose resident threads ran code can have any (a thread
 * is born in its creator's namespace), and one pass over {@code /proc/self/task} looks for all the
 * namespaces of one close (and a few more within {@link #LOOK_AGAIN_MS} when it finds some). The
 * JVM's own namespace is never reported: every thread is in it, and Switcher holds it open anyway.
 */
final class LeftInside {
    private static final System.Logger LOG = System.getLogger(LeftInside.class.getName());
    private static final Path TASKS = Path.of("/proc/self/task");

    /** How long threads found inside are given to end before they are named, at most (ms). */
    private static final long LOOK_AGAIN_MS = 150;

    private LeftInside() {}

    /**
     * Logs a warning per namespace of {@code closing} that threads of this process are still in,
     * naming them. The caller holds each namespace open (so its inode cannot be another's meanwhile)
     * and has joined its resident threads (one that ignored the interrupt is named here too).
     */
    static void warn(List<NetNamespace> closing) {
        Map<String, NetNamespace> byId = new HashMap<>();
        Set<String> residents = new HashSet<>(); // joined already, yet still listed for a moment
        for (NetNamespace ns : closing) {
            if (ns.heldInode() == Switcher.ROOT_INODE) {
                continue; // the JVM's own namespace (root(), ofProcess(self)): every thread is in it, kept alive anyway
            }
            byId.put("net:[" + ns.heldInode() + "]", ns);
            ns.residentTids().forEach(t -> residents.add(Integer.toString(t)));
        }
        if (byId.isEmpty()) {
            return;
        }
        Map<String, List<String>> found = look(byId, residents);
        // a thread that is ending (the JDK HttpServer's idle-timeout-task after stop(0)) goes in a
        // few ms: look again a few times, up to LOOK_AGAIN_MS in all, before naming it
        try {
            for (long wait = 5, waited = 0; !found.isEmpty() && waited < LOOK_AGAIN_MS; waited += wait, wait *= 2) {
                Thread.sleep(wait);
                found = look(byId, residents);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // name what was found
        }
        found.forEach((id, threads) -> LOG.log(
                System.Logger.Level.WARNING,
                "{0} ({1}): threads of this JVM are still inside after close() and keep it alive: {2} "
                        + "(threads started inside call() stay there, and so do JDK pools first used there)",
                byId.get(id),
                id,
                String.join(", ", threads)));
    }

    /** One pass over {@code /proc/self/task}: the threads in the namespaces of {@code byId}, but {@code residents}. */
    private static Map<String, List<String>> look(Map<String, NetNamespace> byId, Set<String> residents) {
        Map<String, List<String>> found = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                if (residents.contains(task.getFileName().toString())) {
                    continue;
                }
                String id;
                String comm;
                try {
                    id = Files.readSymbolicLink(task.resolve("ns/net")).toString();
                    if (!byId.containsKey(id)) {
                        continue;
                    }
                    comm = Files.readString(task.resolve("comm")).trim();
                } catch (IOException ended) {
                    continue;
                }
                // not filtered by name: a thread just born has its creator's (a resident's) until it runs
                found.computeIfAbsent(id, k -> new ArrayList<>()).add(task.getFileName() + " \"" + comm + "\"");
            }
        } catch (IOException e) {
            return Map.of(); // no /proc: nothing to tell
        }
        return found;
    }
}
