package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.BusyThreads;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link NetNamespace#ephemeral(int, NetNamespace.InsideTask)}: work inside each new namespace, no
 * further hand-off; from two namespaces on, on two switching threads at once, each taking the next.
 */
@RequiresRoot
class EphemeralEachTest {

    /**
     * Every switching thread but one busy until the last namespace's work runs: the free one makes
     * them all, taking each in turn. With fixed halves it made the second half first (b, c, then a).
     */
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aFreeThreadTakesTheNamespacesABusyOneWouldHaveMade() throws Exception {
        List<NetNamespace> made = Collections.synchronizedList(new ArrayList<>());
        try (BusyThreads busy = new BusyThreads(Switcher.size() - 1)) {
            List<String> seen = NetNamespace.ephemeral(List.of("a", "b", "c"), ns -> {
                made.add(ns);
                if (ns.label().orElseThrow().equals("c")) {
                    busy.release();
                }
                return Thread.currentThread().getName();
            });
            assertThat(seen).hasSize(3);
            assertThat(seen.stream().distinct()).hasSize(1);
            assertThat(made.stream().map(ns -> ns.label().orElseThrow()))
                    .as("taken one after the other")
                    .containsExactly("a", "b", "c");
            assertThat(made.stream().map(NetNamespace::id)).doesNotHaveDuplicates();
        } finally {
            made.forEach(NetNamespace::close);
        }
    }

    @Test
    void eachRunsInsideItsNewNamespaceAndNestedCallsForItRunOnTheSpot() throws Exception {
        String home = NetNamespace.currentThreadId();
        List<NetNamespace> made = Collections.synchronizedList(new ArrayList<>());
        try {
            List<String> seen = NetNamespace.ephemeral(3, ns -> {
                made.add(ns);
                Thread self = Thread.currentThread();
                assertThat(ns.inside(Thread::currentThread)).isSameAs(self);
                assertThat(NetNamespace.insideEach(List.of(ns), n -> Thread.currentThread()))
                        .containsExactly(self);
                return NetNamespace.currentThreadId();
            });
            assertThat(seen)
                    .containsExactlyInAnyOrderElementsOf(
                            made.stream().map(NetNamespace::id).toList());
            assertThat(seen).doesNotHaveDuplicates().doesNotContain(home);
            for (NetNamespace ns : made) {
                assertThat(ns.exec("ip", "-o", "link", "show", "lo").stdout()).contains("UP");
            }
            // another namespace, from inside a new one: the switching thread enters it and comes back
            try (NetNamespace root = NetNamespace.root()) {
                List<String> rootSeen = NetNamespace.ephemeral(1, ns -> {
                    made.add(ns);
                    return root.inside(NetNamespace::currentThreadId);
                });
                assertThat(rootSeen).containsExactly(home);
            }
            assertThat(NetNamespace.currentThreadId()).isEqualTo(home);
        } finally {
            made.forEach(NetNamespace::close);
        }
    }

    @Test
    void labelledNamespacesCarryTheirLabelThroughReopenAndAttach() throws Exception {
        List<NetNamespace> made = Collections.synchronizedList(new ArrayList<>());
        String name = TestNames.unique("fl");
        try (DeleteNetnsAfter del = DeleteNetnsAfter.of(name)) {
            List<String> labels = List.of("client", "server", "router");
            List<String> seen = NetNamespace.ephemeral(labels, ns -> {
                made.add(ns);
                return ns.label().orElseThrow() + "=" + ns;
            });
            // in the order of the labels, whichever thread made which
            assertThat(seen)
                    .containsExactly(
                            "client=NetNamespace[client, ephemeral]",
                            "server=NetNamespace[server, ephemeral]",
                            "router=NetNamespace[router, ephemeral]");
            NetNamespace client = made.stream()
                    .filter(n -> n.label().orElseThrow().equals("client"))
                    .findFirst()
                    .orElseThrow();
            try (NetNamespace again = client.reopen();
                    NetNamespace named = client.attach(name)) {
                assertThat(again).hasToString("NetNamespace[client, ephemeral]");
                assertThat(named.label()).hasValue("client");
                assertThat(named).hasToString("NetNamespace[" + name + "]");
            }
            client.close();
            assertThat(client).hasToString("NetNamespace[client, ephemeral, closed]");
            try (NetNamespace plain = NetNamespace.ephemeral()) {
                assertThat(plain.label()).isEmpty();
                assertThat(plain).hasToString("NetNamespace[unnamed]");
            }
            // the root namespace says so in messages ("tap0 in NetNamespace[root] has ...")
            try (NetNamespace root = NetNamespace.root();
                    NetNamespace again = root.reopen()) {
                assertThat(root).hasToString("NetNamespace[root]");
                assertThat(again).hasToString("NetNamespace[root]");
            }
        } finally {
            made.forEach(NetNamespace::close);
        }
    }

    @Test
    void aNullLabelIsRefusedBeforeAnyNamespaceIsMade() {
        List<String> labels = new ArrayList<>(List.of("a"));
        labels.add(null);
        assertThatThrownBy(() -> NetNamespace.ephemeral(labels, ns -> {
                    throw new AssertionError("made " + ns);
                }))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void aHandleWithoutAKnownCookieIsRecognisedByInodeEvenAfterTheFreshHandleIsClosed() throws Exception {
        String name = TestNames.unique("nvee");
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.of(name)) {
            List<Boolean> onTheSpot = NetNamespace.ephemeral(1, fresh -> {
                fresh.attach(name).close();
                fresh.close(); // as netvirt-core does once the namespace has its name
                try (NetNamespace opened = NetNamespace.open(name)) { // its cookie is not read yet
                    Thread self = Thread.currentThread();
                    return opened.inside(Thread::currentThread) == self;
                }
            });
            assertThat(onTheSpot).containsExactly(true);
        }
    }

    /** Each waits for the other: both return only if two threads make the namespaces at once. */
    @Test
    void twoNamespacesAreMadeOnTwoSwitchingThreadsAtOnce() throws Exception {
        CountDownLatch together = new CountDownLatch(2);
        List<NetNamespace> made = Collections.synchronizedList(new ArrayList<>());
        try {
            List<Thread> on = NetNamespace.ephemeral(2, ns -> {
                made.add(ns);
                together.countDown();
                assertThat(together.await(10, TimeUnit.SECONDS)).isTrue();
                return Thread.currentThread();
            });
            assertThat(on).doesNotHaveDuplicates().doesNotContain(Thread.currentThread());
            assertThat(on).allMatch(t -> t.getName().startsWith("netvirt-switch-"));
        } finally {
            made.forEach(NetNamespace::close);
        }
    }

    /**
     * Both switching threads inside a new namespace at once, each entering another namespace: no
     * switching thread is free for a hand-off, so each switches itself and comes back.
     */
    @Test
    @Timeout(30) // a switching thread waiting for another one here waits forever
    void bothThreadsEnterAnotherNamespaceAtOnce() throws Exception {
        String home = NetNamespace.currentThreadId();
        CountDownLatch together = new CountDownLatch(2);
        List<NetNamespace> made = Collections.synchronizedList(new ArrayList<>());
        try (NetNamespace root = NetNamespace.root()) {
            List<List<String>> seen = NetNamespace.ephemeral(2, ns -> {
                made.add(ns);
                together.countDown();
                assertThat(together.await(10, TimeUnit.SECONDS)).isTrue();
                return List.of(root.inside(NetNamespace::currentThreadId), NetNamespace.currentThreadId(), ns.id());
            });
            for (List<String> s : seen) {
                assertThat(s.get(0)).isEqualTo(home);
                assertThat(s.get(1)).as("back in its own namespace").isEqualTo(s.get(2));
            }
        } finally {
            made.forEach(NetNamespace::close);
        }
    }

    @Test
    void whenBothThreadsFailOneFailureIsThrownWithTheOtherSuppressedAndNothingIsLeftOpen() {
        CountDownLatch together = new CountDownLatch(2);
        List<NetNamespace> made = Collections.synchronizedList(new ArrayList<>());
        assertThatThrownBy(() -> NetNamespace.ephemeral(2, ns -> {
                    made.add(ns);
                    together.countDown();
                    together.await(10, TimeUnit.SECONDS);
                    throw new IllegalStateException("failed");
                }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("failed")
                .satisfies(e -> assertThat(e.getSuppressed())
                        .filteredOn(s -> "failed".equals(s.getMessage()))
                        .hasSize(1));
        assertThat(made).hasSize(2).noneMatch(NetNamespace::isOpen);
    }

    @Test
    void aFailingTaskClosesWhatWasMadeAndTheResultsSoFar() {
        List<NetNamespace> made = Collections.synchronizedList(new ArrayList<>());
        List<Closed> results = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> NetNamespace.ephemeral(3, ns -> {
                    made.add(ns);
                    if (calls.incrementAndGet() == 3) {
                        throw new IllegalStateException("third fails");
                    }
                    Closed c = new Closed();
                    results.add(c);
                    return c;
                }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("third fails");
        assertThat(made).hasSize(3).noneMatch(NetNamespace::isOpen);
        assertThat(results).hasSize(2).allMatch(c -> c.closed);
    }

    private static final class Closed implements AutoCloseable {
        volatile boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }
}
