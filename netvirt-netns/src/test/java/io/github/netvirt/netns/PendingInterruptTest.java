package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A caller whose interrupt is pending when it hands work to another thread is "interrupted before
 * the work started": the work never runs, every time. It ran in about half the calls, whenever the
 * other thread claimed the work before the caller's wait saw the interrupt.
 */
@RequiresRoot
class PendingInterruptTest {
    private static final int TRIES = 30;

    @Test
    void runAndCallNeverRunTheTask() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            for (int i = 0; i < TRIES; i++) {
                Thread.currentThread().interrupt();
                assertThatThrownBy(() -> ns.run(ran::incrementAndGet)).isInstanceOf(CancellationException.class);
                assertThat(Thread.interrupted())
                        .as("run keeps the interrupt status")
                        .isTrue();
                Thread.currentThread().interrupt();
                assertThatThrownBy(() -> ns.call(ran::incrementAndGet)).isInstanceOf(InterruptedException.class);
                Thread.currentThread().interrupt();
                assertThatThrownBy(() -> ns.inside(ran::incrementAndGet)).isInstanceOf(InterruptedException.class);
                Thread.interrupted();
            }
            assertThat(ran).hasValue(0);
            assertThat(ns.call(ran::incrementAndGet))
                    .as("not interrupted: it runs")
                    .isEqualTo(1);
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void createMakesNothing() {
        String name = TestNames.unique("pi");
        try {
            for (int i = 0; i < TRIES; i++) {
                Thread.currentThread().interrupt();
                assertThatThrownBy(() -> NetNamespace.create(name)).isInstanceOf(CancellationException.class);
                assertThat(Thread.interrupted()).isTrue();
                assertThat(NetNamespace.exists(name)).isFalse();
                Thread.currentThread().interrupt();
                assertThatThrownBy(() -> NetNamespace.create(List.of(name, name + "b")))
                        .isInstanceOf(CancellationException.class);
                assertThat(Thread.interrupted()).isTrue();
                assertThat(NetNamespace.exists(name)).isFalse();
                assertThat(NetNamespace.exists(name + "b")).isFalse();
            }
        } finally {
            Thread.interrupted();
            for (String n : List.of(name, name + "b")) {
                if (NetNamespace.exists(n)) {
                    NetNamespace.delete(n);
                }
            }
        }
    }
}
