package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A namespace's fd outlives close() while a use is pending; interrupted callers get InterruptedException. */
@RequiresRoot
class PendingUseTest {

    @Test
    void aHoldKeepsTheFdOpenAcrossCloseAndUsesAfterCloseAreRefused() throws Exception {
        NetNamespace ns = NetNamespace.ephemeral();
        String id = ns.id();
        NetNamespace.Hold hold = ns.hold();
        int fd = hold.fd();
        ns.close();
        // still this namespace's fd: the number cannot be reused under the hold
        assertThat(Files.getAttribute(Path.of("/proc/self/fd/" + fd), "unix:ino"))
                .isEqualTo(Long.parseLong(id.replaceAll("\\D", "")));
        assertThatThrownBy(ns::fd).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(ns::hold).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ns.inside(() -> 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ns.call(() -> 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ns.socketFactory().createSocket()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> NetNamespace.insideEach(List.of(ns), n -> 1))
                .isInstanceOf(IllegalStateException.class);
        hold.close();
        hold.close(); // idempotent: one release only
        assertThatThrownBy(hold::fd).isInstanceOf(IllegalStateException.class);
        // the number may be another thread's fd by now, opened and closed at any moment
        assertThat(inodeAt(fd)).isNotEqualTo(Long.parseLong(id.replaceAll("\\D", "")));
    }

    /** The inode of the file open at {@code fd} in this process, or null when none is. */
    private static Object inodeAt(int fd) throws IOException {
        try {
            return Files.getAttribute(Path.of("/proc/self/fd/" + fd), "unix:ino");
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** What a caller does, and what it must get when interrupted before its switched work started. */
    interface Entry {
        void call(NetNamespace ns, AtomicBoolean ran) throws Exception;
    }

    @Test
    void aCallerInterruptedBeforeItsSwitchedWorkStartedGetsInterruptedExceptionAndTheWorkNeverRuns() throws Exception {
        interruptedBeforeStart((ns, ran) -> ns.inside(() -> ran.getAndSet(true)), InterruptedException.class, false);
    }

    @Test
    void theSocketFactoryThrowsInterruptedIoExceptionAndKeepsTheInterruptStatus() throws Exception {
        interruptedBeforeStart(
                (ns, ran) -> ns.socketFactory().createSocket().close(), InterruptedIOException.class, true);
    }

    @Test
    void uncheckedEntryPointsThrowCancellationExceptionAndKeepTheInterruptStatus() throws Exception {
        String name = TestNames.unique("ra-int");
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.of(name)) {
            interruptedBeforeStart((ns, ran) -> NetNamespace.create(name).close(), CancellationException.class, true);
            assertThat(NetNamespace.exists(name)).isFalse();
        }
        interruptedBeforeStart((ns, ran) -> NetNamespace.ephemeral().close(), CancellationException.class, true);
        interruptedBeforeStart(
                (ns, ran) -> {
                    try (NetNamespace again = ns.reopen()) { // its cookie is read on a switching thread
                        again.cookie();
                    }
                },
                CancellationException.class,
                true);
    }

    private static void interruptedBeforeStart(Entry entry, Class<? extends Throwable> expected, boolean flagKept)
            throws Exception {
        try (NetNamespace root = NetNamespace.root();
                NetNamespace ns = NetNamespace.ephemeral()) {
            // occupy every switching thread so that the next hand-off waits in the queue
            CountDownLatch busy = new CountDownLatch(Switcher.size());
            CountDownLatch release = new CountDownLatch(1);
            List<Thread> blockers = new ArrayList<>();
            for (int i = 0; i < Switcher.size(); i++) {
                Thread t = new Thread(() -> {
                    try {
                        root.inside(() -> {
                            busy.countDown();
                            release.await();
                            return null;
                        });
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
                t.start();
                blockers.add(t);
            }
            busy.await();
            AtomicBoolean ran = new AtomicBoolean();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicBoolean interruptedAfter = new AtomicBoolean();
            Thread caller = new Thread(() -> {
                try {
                    entry.call(ns, ran);
                } catch (Throwable e) {
                    thrown.set(e);
                }
                interruptedAfter.set(Thread.currentThread().isInterrupted());
            });
            caller.start();
            while (caller.getState() != Thread.State.WAITING) {
                Thread.onSpinWait();
            }
            caller.interrupt();
            caller.join();
            release.countDown();
            for (Thread t : blockers) {
                t.join();
            }
            assertThat(thrown.get()).isInstanceOf(expected);
            assertThat(interruptedAfter.get()).isEqualTo(flagKept);
            // the queue is FIFO: once this later hand-off ran, the withdrawn one would have run before it
            assertThat(ns.inside(() -> "after")).isEqualTo("after");
            assertThat(ran).isFalse();
        }
    }

    @Test
    void anInterruptedCallerOfCallInterruptsTheTaskAndGetsItsOutcome() throws Exception {
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            CountDownLatch started = new CountDownLatch(1);
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicBoolean flagKept = new AtomicBoolean();
            Thread caller = new Thread(() -> {
                try {
                    ns.call(() -> {
                        started.countDown();
                        Thread.sleep(60_000);
                        return null;
                    });
                } catch (Throwable e) {
                    thrown.set(e);
                    flagKept.set(Thread.currentThread().isInterrupted());
                }
            });
            caller.start();
            started.await();
            caller.interrupt();
            caller.join();
            // the task's own InterruptedException (from sleep), and the caller's status is kept
            assertThat(thrown.get()).isInstanceOf(InterruptedException.class).hasMessageContaining("sleep");
            assertThat(flagKept).isTrue();
            // the resident thread serves again, not interrupted
            assertThat(ns.call(() -> Thread.currentThread().isInterrupted())).isFalse();
        }
    }
}
