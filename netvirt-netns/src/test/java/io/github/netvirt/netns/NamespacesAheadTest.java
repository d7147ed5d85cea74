package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.BusyThreads;
import io.github.netvirt.netns.testing.JvmThreads;
import io.github.netvirt.netns.testing.OpenFds;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link NetNamespace#beginEphemeral}: namespaces the kernel makes while the caller plans, the work
 * given later; given up, nothing of them stays open; never a wait for a switching thread.
 */
@RequiresRoot
class NamespacesAheadTest {

    /** What a thread sees inside: its label, and the namespace the kernel says it is in. */
    private static String inside(NetNamespace ns) {
        return ns.label().orElseThrow() + "=" + NetNamespace.currentThreadId();
    }

    /** Gives {@code ahead} the work of noting each namespace in {@code made} and saying where it ran ({@link #inside}). */
    private static List<String> runInside(NamespacesAhead ahead, List<NetNamespace> made) throws Exception {
        return ahead.run(ns -> {
            made.add(ns);
            return inside(ns);
        });
    }

    /** Waits until the switching threads are inside the namespaces begun (each made its first). */
    private static void awaitThreadsInside(int threads) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (JvmThreads.outsideRootNamespace().stream()
                        .filter(t -> t.comm().startsWith("netvirt-switch-"))
                        .count()
                < threads) {
            assertThat(System.nanoTime())
                    .as("switching threads inside the namespaces begun")
                    .isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void theThreadsWaitInsideTheFirstNamespacesAndRunTheWorkInEachOnceGiven() throws Exception {
        OpenFds before = OpenFds.now();
        String home = NetNamespace.currentThreadId();
        List<NetNamespace> made = Collections.synchronizedList(new ArrayList<>());
        try (NamespacesAhead ahead = NetNamespace.beginEphemeral(List.of("client", "server", "router"))) {
            awaitThreadsInside(2);
            List<String> seen = runInside(ahead, made);
            assertThat(seen).hasSize(3);
            for (NetNamespace ns : made) {
                assertThat(seen).contains(ns.label().orElseThrow() + "=" + ns.id());
            }
            assertThat(seen.get(0)).startsWith("client=");
            assertThat(seen.get(1)).startsWith("server=");
            assertThat(seen.get(2)).startsWith("router=");
            assertThat(made.stream().map(NetNamespace::id))
                    .doesNotHaveDuplicates()
                    .doesNotContain(home);
            for (NetNamespace ns : made) {
                assertThat(ns.exec("ip", "-o", "link", "show", "lo").stdout()).contains("UP");
            }
            assertThatThrownBy(() -> ahead.run(ns -> null))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("run twice");
        } finally {
            made.forEach(NetNamespace::close);
        }
        assertThat(JvmThreads.outsideRootNamespace()).noneMatch(t -> t.comm().startsWith("netvirt-switch-"));
        before.awaitNoneLeaked("namespaces begun ahead and closed", 5);
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void givenUpBeforeTheWorkNothingOfThemStaysOpenAndRunIsRefused() throws Exception {
        OpenFds before = OpenFds.now();
        NamespacesAhead ahead = NetNamespace.beginEphemeral(List.of("a", "b", "c", "d"));
        awaitThreadsInside(2);
        ahead.close();
        ahead.close(); // idempotent
        assertThat(JvmThreads.outsideRootNamespace()).noneMatch(t -> t.comm().startsWith("netvirt-switch-"));
        before.awaitNoneLeaked("namespaces begun ahead and given up", 5);
        assertThatThrownBy(() -> ahead.run(ns -> null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("closed");
    }

    /**
     * Both switching threads wait inside namespaces begun ahead while the caller needs one: they make
     * way at once, and the work is then done the plain way, every namespace still made.
     */
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hand-off kept waiting waits for ever
    void aHandOffMeanwhileIsNotKeptWaitingAndTheWorkIsStillDone() throws Exception {
        OpenFds before = OpenFds.now();
        List<NetNamespace> made = Collections.synchronizedList(new ArrayList<>());
        String home = NetNamespace.currentThreadId();
        try (NamespacesAhead ahead = NetNamespace.beginEphemeral(List.of("x", "y", "z"))) {
            awaitThreadsInside(2);
            try (NetNamespace root = NetNamespace.root()) {
                assertThat(root.inside(NetNamespace::currentThreadId)).isEqualTo(home);
            }
            List<String> seen = runInside(ahead, made);
            assertThat(seen).hasSize(3);
            assertThat(seen.get(0)).startsWith("x=");
            assertThat(seen.get(1)).startsWith("y=");
            assertThat(seen.get(2)).startsWith("z=");
            assertThat(made).hasSize(3);
        } finally {
            made.forEach(NetNamespace::close);
        }
        before.awaitNoneLeaked("namespaces begun ahead, given up for a hand-off, made again", 5);
    }

    /**
     * Another ahead's threads wait for its caller's plan (on a 2-CPU machine the pool has two switching
     * threads, both taken by the first): a run whose own hand-offs have not begun does not wait behind
     * them. It waited for ever: the first ahead's threads gave way to plain work only.
     */
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aRunDoesNotWaitForThreadsWaitingForAnotherAheadsPlan() throws Exception {
        OpenFds before = OpenFds.now();
        List<NetNamespace> made = Collections.synchronizedList(new ArrayList<>());
        try (NamespacesAhead first = NetNamespace.beginEphemeral(List.of("f1", "f2"))) {
            awaitThreadsInside(2);
            try (NamespacesAhead second = NetNamespace.beginEphemeral(List.of("s1", "s2"))) {
                List<String> seen = runInside(second, made);
                assertThat(seen.get(0)).startsWith("s1=");
                assertThat(seen.get(1)).startsWith("s2=");
            }
            List<String> seen = runInside(first, made);
            assertThat(seen.get(0)).startsWith("f1=");
            assertThat(seen.get(1)).startsWith("f2=");
        } finally {
            made.forEach(NetNamespace::close);
        }
        before.awaitNoneLeaked("two aheads at once", 5);
    }

    /**
     * Only one switching thread free (the others busy, as the second often is on two CPUs while the
     * caller plans and the first unshares): run keeps the namespace it began, and it makes every
     * other one as well rather than leave half of them to a busy thread. Before 08c52cc the
     * namespace begun was given up and made again.
     */
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void oneFreeThreadKeepsTheNamespaceItBeganAndMakesTheRest() throws Exception {
        OpenFds before = OpenFds.now();
        List<NetNamespace> made = Collections.synchronizedList(new ArrayList<>());
        try (BusyThreads busy = new BusyThreads(Switcher.size() - 1);
                NamespacesAhead ahead = NetNamespace.beginEphemeral(List.of("p", "q", "r"))) {
            awaitThreadsInside(1);
            JvmThreads.Task waiting = JvmThreads.outsideRootNamespace().stream()
                    .filter(t -> t.comm().startsWith("netvirt-switch-"))
                    .findFirst()
                    .orElseThrow();
            try (NetNamespace begun = NetNamespace.ofProcess(Long.parseLong(waiting.tid()))) {
                List<String> seen = ahead.run(ns -> {
                    made.add(ns);
                    if (ns.label().orElseThrow().equals("r")) {
                        busy.release();
                    }
                    return Thread.currentThread().getName() + " " + ns.cookie();
                });
                assertThat(seen.get(0)).as("p in the namespace begun").endsWith(" " + begun.cookie());
                assertThat(seen.stream()
                                .map(t -> t.substring(0, t.indexOf(' ')))
                                .distinct())
                        .as("every namespace made by the thread that began p")
                        .hasSize(1);
                assertThat(made.stream().map(NetNamespace::cookie)).doesNotHaveDuplicates();
                assertThat(made).hasSize(3);
            }
        } finally {
            made.forEach(NetNamespace::close);
        }
        before.awaitNoneLeaked("one free thread made them all", 5);
    }

    /**
     * The thread that began makes every namespace while the hand-off it was to share them with still
     * waits behind busy threads: run returns without waiting for that hand-off, and an interrupt that
     * came meanwhile is kept, not taken for a cancel (it withdrew that hand-off, and run threw
     * InterruptedException after the work had run in every namespace).
     */
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anInterruptWhileTheWorkRunsIsKeptAndNoBusyThreadIsWaitedFor() throws Exception {
        OpenFds before = OpenFds.now();
        List<NetNamespace> made = Collections.synchronizedList(new ArrayList<>());
        Thread caller = Thread.currentThread();
        try (BusyThreads busy = new BusyThreads(Switcher.size() - 1);
                NamespacesAhead ahead = NetNamespace.beginEphemeral(List.of("p", "q", "r"))) {
            awaitThreadsInside(1);
            List<String> seen = ahead.run(ns -> {
                made.add(ns);
                caller.interrupt();
                return inside(ns);
            });
            assertThat(Thread.interrupted()).as("the caller's interrupt kept").isTrue();
            assertThat(seen).hasSize(3);
            assertThat(made).hasSize(3).allMatch(NetNamespace::isOpen);
        } finally {
            Thread.interrupted();
            made.forEach(NetNamespace::close);
        }
        before.awaitNoneLeaked("an interrupt while the work ran", 5);
    }

    /**
     * Run on a switching thread while every switching thread is busy and none began the ahead: the
     * namespaces are made there, on the spot. It waited for ever for a free thread (the others wait
     * for it).
     */
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void runOnASwitchingThreadWithNoneBegunMakesThemOnTheSpot() throws Exception {
        OpenFds before = OpenFds.now();
        List<NetNamespace> made = Collections.synchronizedList(new ArrayList<>());
        NamespacesAhead[] ahead = new NamespacesAhead[1];
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try (NetNamespace root = NetNamespace.root();
                BusyThreads busy = new BusyThreads(Switcher.size() - 1)) {
            Future<List<String>> running = runner.submit(() -> root.inside(() -> {
                holding.countDown();
                go.await();
                return runInside(ahead[0], made);
            }));
            holding.await(); // every switching thread busy: the ahead's hand-offs wait in the queue
            ahead[0] = NetNamespace.beginEphemeral(List.of("u", "v", "w"));
            go.countDown();
            List<String> seen = running.get();
            assertThat(seen).hasSize(3);
            assertThat(seen.get(0)).startsWith("u=");
            assertThat(seen.get(2)).startsWith("w=");
            assertThat(made.stream().map(NetNamespace::id)).doesNotHaveDuplicates();
        } finally {
            go.countDown();
            runner.shutdown();
            made.forEach(NetNamespace::close);
        }
        before.awaitNoneLeaked("an ahead run on a switching thread", 5);
    }

    /** Closed while its hand-offs still wait behind another ahead's: the caller's interrupt is kept (it was swallowed). */
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void closingAnAheadWhoseThreadsHadNotBegunKeepsTheCallersInterrupt() throws Exception {
        OpenFds before = OpenFds.now();
        try (NamespacesAhead first = NetNamespace.beginEphemeral(List.of("f1", "f2"))) {
            awaitThreadsInside(2);
            NamespacesAhead second = NetNamespace.beginEphemeral(List.of("s1", "s2"));
            Thread.currentThread().interrupt();
            try {
                second.close();
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } finally {
                Thread.interrupted();
            }
        }
        before.awaitNoneLeaked("an ahead closed while its work waited", 5);
    }

    /** As a hand-off: a caller interrupted before it gives the work makes nothing more, and what was begun is closed. */
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aCallerInterruptedBeforeRunGetsInterruptedExceptionAndTheWorkNeverRuns() throws Exception {
        OpenFds before = OpenFds.now();
        try (NamespacesAhead ahead = NetNamespace.beginEphemeral(List.of("p", "q", "r"))) {
            awaitThreadsInside(2);
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(() -> ahead.run(ns -> {
                            throw new AssertionError("the work ran in " + ns);
                        }))
                        .isInstanceOf(InterruptedException.class);
            } finally {
                Thread.interrupted();
            }
        }
        assertThat(JvmThreads.outsideRootNamespace()).noneMatch(t -> t.comm().startsWith("netvirt-switch-"));
        before.awaitNoneLeaked("an ahead whose caller was interrupted", 5);
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aFailingTaskClosesEveryNamespaceBegun() throws Exception {
        OpenFds before = OpenFds.now();
        List<NetNamespace> made = Collections.synchronizedList(new ArrayList<>());
        try (NamespacesAhead ahead = NetNamespace.beginEphemeral(List.of("p", "q", "r"))) {
            awaitThreadsInside(2);
            assertThatThrownBy(() -> ahead.run(ns -> {
                        made.add(ns);
                        if (ns.label().orElseThrow().equals("q")) {
                            throw new IllegalStateException("q fails");
                        }
                        return ns;
                    }))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("q fails");
        }
        assertThat(made).isNotEmpty().noneMatch(NetNamespace::isOpen);
        before.awaitNoneLeaked("namespaces begun ahead, the work failed", 5);
    }

    /** On a switching thread nothing is begun ahead (its own queue would wait for it): run makes them. */
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void fromInsideANamespaceRunMakesThemOnTheSpot() throws Exception {
        List<NetNamespace> made = Collections.synchronizedList(new ArrayList<>());
        try (NetNamespace outer = NetNamespace.ephemeral()) {
            List<String> seen = outer.inside(() -> {
                try (NamespacesAhead ahead = NetNamespace.beginEphemeral(List.of("i", "j"))) {
                    return runInside(ahead, made);
                }
            });
            assertThat(seen).hasSize(2);
            assertThat(seen.get(0)).startsWith("i=");
            assertThat(seen.get(1)).startsWith("j=");
            assertThat(made.stream().map(NetNamespace::id))
                    .doesNotHaveDuplicates()
                    .doesNotContain(outer.id());
        } finally {
            made.forEach(NetNamespace::close);
        }
    }

    @Test
    void anInterruptedCallerBeginsNothingAndKeepsItsInterrupt() throws Exception {
        Thread.currentThread().interrupt();
        try {
            try (NamespacesAhead ahead = NetNamespace.beginEphemeral(List.of("m", "n"))) {
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
                assertThat(JvmThreads.outsideRootNamespace())
                        .noneMatch(t -> t.comm().startsWith("netvirt-switch-"));
                assertThat(ahead.labels()).containsExactly("m", "n");
            }
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aNullLabelIsRefusedBeforeAnythingIsBegun() {
        List<String> labels = new ArrayList<>(List.of("a"));
        labels.add(null);
        assertThatThrownBy(() -> NetNamespace.beginEphemeral(labels)).isInstanceOf(NullPointerException.class);
    }
}
