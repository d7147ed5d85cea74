package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An interrupt that arrives while close() runs (a test framework's timeout, {@code Future.cancel(true)})
 * does not cancel the teardown: it is held back until close() is done, then set again. Here the
 * interrupt comes from inside the teardown, from a before-close action of a namespace, and the next
 * action opens a netlink handle there as a fault's heal does: before, that hand-off gave up
 * (CancellationException), and the teardown kept the crash record and its fd.
 */
@RequiresRoot
class InterruptDuringCloseTest {
    private final String p = TestNames.unique("fh") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    private TopologyBuilder conditioned(String q) {
        return Topology.create()
                .prefix(q)
                .ns("a")
                .veth("e0", "b", "e1")
                .addr("10.79.0.1/24")
                .delay(Duration.ofMillis(2))
                .ns("b")
                .dev("e1")
                .addr("10.79.0.2/24");
    }

    @Test
    void anInterruptDuringTheTeardownIsHeldBackUntilCloseIsDone() throws Exception {
        try (Topology warm = conditioned(p + "w-").apply()) {
            warm.namespace("a"); // the pools and caches a first close opens, before the fds are counted
        }
        long fdsBefore = openFds();
        String q = p + "c-";
        Topology t = conditioned(q).apply();
        NetNamespace a = t.namespace("a");
        int[] linksSeen = {-1};
        a.beforeClose(() -> Thread.currentThread().interrupt());
        NetNamespace own = a.reopen(); // as a fault's lease: its own handle, open while the topology's closes
        a.beforeClose(
                () -> { // as a fault's heal: a hand-off to a switching thread
                    try (own;
                            NetlinkHandle h = NetlinkHandle.open(own)) {
                        linksSeen[0] = h.linkList().size();
                    }
                });
        RuntimeException thrown = null;
        boolean flag;
        try {
            t.close();
        } catch (RuntimeException e) {
            thrown = e;
        } finally {
            flag = Thread.interrupted();
        }
        assertThat(thrown)
                .as("close() with an interrupt arriving during the teardown")
                .isNull();
        assertThat(flag).as("the interrupt, set again once close() is done").isTrue();
        assertThat(linksSeen[0]).as("links the action after the interrupt saw").isGreaterThan(0);
        assertThat(Reference.namespaces(q)).isEmpty();
        assertThat(Ip.ok("-j", "netns", "list")).doesNotContain(q);
        assertThat(Reference.records(q + "a")).isEmpty();
        assertThat(openFds()).as("this JVM's fds on records and namespaces").isEqualTo(fdsBefore);
    }

    /**
     * This JVM's fds on what a teardown that gave up leaks: crash records (in its run directory) and
     * namespaces (other tests' pools and sockets come and go in the same JVM).
     */
    private static long openFds() throws IOException {
        String records = RunDir.current().path().toString();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                        try {
                            return Files.readSymbolicLink(fd).toString();
                        } catch (IOException gone) {
                            return "";
                        }
                    })
                    .filter(to -> to.startsWith(records) || to.startsWith("net:["))
                    .count();
        }
    }
}
