package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.RequiresRoot;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A handle dropped without close() has its fd closed by a Cleaner once it is collected, so that the
 * kernel destroys an ephemeral namespace nothing else holds: the handle's fd was the only thing left
 * holding it, for the JVM's life. A handle whose threads ran code inside is collected once they have
 * ended (they end 5 s after their last task).
 */
@RequiresRoot
class DroppedHandleTest {

    @Test
    void aDroppedEphemeralNamespaceIsDestroyed() throws Exception {
        String[] id = new String[1];
        WeakReference<NetNamespace> dropped = makeAndDrop(id, false);
        assertGoneOnceCollected(dropped, id[0]);
    }

    @Test
    void aDroppedNamespaceWhoseThreadsRanCodeIsDestroyed() throws Exception {
        String[] id = new String[1];
        WeakReference<NetNamespace> dropped = makeAndDrop(id, true);
        assertGoneOnceCollected(dropped, id[0]);
    }

    private static WeakReference<NetNamespace> makeAndDrop(String[] id, boolean runInside) throws Exception {
        NetNamespace ns = NetNamespace.ephemeral();
        id[0] = ns.id();
        if (runInside) {
            assertThat(ns.call(() -> Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net"))
                            .toString()))
                    .isEqualTo(id[0]);
        }
        return new WeakReference<>(ns);
    }

    private static void assertGoneOnceCollected(WeakReference<NetNamespace> dropped, String id) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (dropped.get() != null && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        assertThat(dropped.get())
                .as("the dropped handle, after 30 s of collections")
                .isNull();
        // the Cleaner's thread closes the fd soon after the collection: wait for it, up to 10 s
        List<String> left = holders(id);
        for (long end = System.nanoTime() + 10_000_000_000L; !left.isEmpty() && System.nanoTime() < end; ) {
            Thread.sleep(20);
            left = holders(id);
        }
        assertThat(left)
                .as("fds and threads of this JVM on %s after its dropped handle was collected", id)
                .isEmpty();
    }

    /** The fds and threads of this process on the namespace {@code id} ({@code net:[inode]}). */
    private static List<String> holders(String id) throws IOException {
        List<String> found = new ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                if (id.equals(link(fd))) {
                    found.add("fd " + fd.getFileName());
                }
            }
        }
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : tasks) {
                if (id.equals(link(t.resolve("ns/net")))) {
                    found.add("thread " + t.getFileName());
                }
            }
        }
        return found;
    }

    private static String link(Path p) {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException e) {
            return null; // closed or ended meanwhile
        }
    }
}
