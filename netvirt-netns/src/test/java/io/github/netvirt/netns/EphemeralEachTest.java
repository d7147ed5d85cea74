package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link NetNamespace#ephemeral(int, NetNamespace.InsideTask)}: work inside each new namespace, no further hand-off. */
@RequiresRoot
class EphemeralEachTest {

    @Test
    void eachRunsInsideItsNewNamespaceAndNestedCallsForItRunOnTheSpot() throws Exception {
        String home = NetNamespace.currentThreadId();
        List<NetNamespace> made = new ArrayList<>();
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
                    .containsExactlyElementsOf(
                            made.stream().map(NetNamespace::id).toList());
            assertThat(seen).doesNotHaveDuplicates().doesNotContain(home);
            for (NetNamespace ns : made) {
                assertThat(ns.exec("ip", "-o", "link", "show", "lo").stdout()).contains("UP");
            }
            // another namespace, from inside a new one, is still entered through a hand-off
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

    @Test
    void aFailingTaskClosesWhatWasMadeAndTheResultsSoFar() {
        List<NetNamespace> made = new ArrayList<>();
        List<Closed> results = new ArrayList<>();
        assertThatThrownBy(() -> NetNamespace.ephemeral(3, ns -> {
                    made.add(ns);
                    if (made.size() == 3) {
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
        boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }
}
