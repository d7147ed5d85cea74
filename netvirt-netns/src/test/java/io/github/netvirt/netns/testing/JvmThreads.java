package io.github.netvirt.netns.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Where this JVM's threads are: the network namespace of each, as /proc/self/task shows it. */
public final class JvmThreads {
    private JvmThreads() {}

    /** A thread: its task id, its name ({@code comm}) and its network namespace ({@code net:[inode]}). */
    public record Task(String tid, String comm, String netns) {
        /** A namespace's own resident thread, the one kind netvirt keeps outside the root namespace. */
        public boolean resident() {
            return comm.startsWith("netvirt-ns-");
        }

        @Override
        public String toString() {
            return tid + " \"" + comm + "\" in " + netns;
        }
    }

    /** The threads not in the JVM's own (the main thread's) network namespace; threads that end meanwhile are left out. */
    public static List<Task> outsideRootNamespace() throws IOException {
        String root = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        List<Task> out = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String net;
                String comm;
                try {
                    net = Files.readSymbolicLink(task.resolve("ns/net")).toString();
                    comm = Files.readString(task.resolve("comm")).trim();
                } catch (IOException gone) {
                    continue; // the thread ended meanwhile
                }
                if (!net.equals(root)) {
                    out.add(new Task(task.getFileName().toString(), comm, net));
                }
            }
        }
        return out;
    }
}
