package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * startDetached() racing detach() on other threads: a process startDetached returns is in the kept
 * record (removeDetached ends it), or startDetached throws IllegalStateException having ended it.
 * None is left running after the removal.
 */
@RequiresRoot
class StartDetachedDuringDetachTest {
    private static final int ROUNDS = 5;
    private static final int STARTERS = 3;

    private final String p = TestNames.unique("gi") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    @Test
    void everyProcessStartDetachedReturnsIsRecordedAndTheRefusedOnesAreEnded() throws Exception {
        // a sleep of its own, found by its command line: also the refused ones, which nothing returned
        String marker = "3600." + (100000 + ThreadLocalRandom.current().nextInt(900000));
        List<Process> returned = Collections.synchronizedList(new ArrayList<>());
        List<Throwable> unexpected = Collections.synchronizedList(new ArrayList<>());
        int refused = 0;
        try {
            for (int round = 0; round < ROUNDS; round++) {
                Topology t = Seeds.seed().prefix(p).apply();
                NetNamespace net0 = t.namespace("net0");
                CountDownLatch started = new CountDownLatch(STARTERS);
                int[] refusals = new int[STARTERS];
                List<Thread> starters = new ArrayList<>();
                for (int i = 0; i < STARTERS; i++) {
                    int me = i;
                    Thread s = new Thread(() -> {
                        while (true) {
                            try {
                                returned.add(net0.startDetached(new ProcessBuilder("sleep", marker)
                                        .redirectInput(Redirect.from(new java.io.File("/dev/null")))
                                        .redirectOutput(Redirect.DISCARD)
                                        .redirectError(Redirect.DISCARD)));
                                started.countDown();
                            } catch (IllegalStateException closed) {
                                refusals[me]++;
                                return;
                            } catch (IOException | RuntimeException e) {
                                unexpected.add(e);
                                return;
                            }
                        }
                    });
                    s.start();
                    starters.add(s);
                }
                started.await(30, TimeUnit.SECONDS);

                t.detach();

                for (Thread s : starters) {
                    s.join(TimeUnit.SECONDS.toMillis(30));
                    assertThat(s.isAlive()).isFalse();
                }
                for (int r : refusals) {
                    refused += r;
                }
                List<String> removed = Topology.removeDetached(p);
                assertThat(removed)
                        .anyMatch(l -> l.startsWith("netns " + p + "net0"))
                        .as("no process startDetached returned left holding net0 without its name")
                        .noneMatch(l -> l.contains("lives on"));
                assertThat(Reference.namespaces(p)).isEmpty();
            }
            System.out.println(returned.size() + " started, " + refused + " refused in " + ROUNDS + " rounds");
            assertThat(unexpected).isEmpty();
            assertThat(refused).as("each starter ends on the closed handle").isEqualTo(ROUNDS * STARTERS);
            for (Process r : returned) {
                assertThat(r.waitFor(5, TimeUnit.SECONDS))
                        .as("pid %d, returned by startDetached, ended by removeDetached", r.pid())
                        .isTrue();
            }
            assertThat(running(marker)).as("sleeps %s still running", marker).isEmpty();
        } finally {
            returned.forEach(Process::destroyForcibly);
            for (long pid : running(marker)) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            Topology.removeDetached(p);
        }
    }

    /** The pids of the processes whose command line holds {@code marker}, zombies aside. */
    private static List<Long> running(String marker) throws IOException {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : all) {
                try {
                    String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
                    String stat = Files.readString(proc.resolve("stat"));
                    boolean zombie = stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
                    if (!zombie && cmdline.contains(marker)) {
                        pids.add(Long.parseLong(proc.getFileName().toString()));
                    }
                } catch (IOException gone) {
                    // exited meanwhile
                }
            }
        }
        return pids;
    }
}
