package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A heal (a fault's close, a schedule run's close) on a thread whose interrupt flag is set (JUnit's
 * {@code @Timeout}, a cancelled task closing its resources) heals all the same, and leaves the flag
 * set for the caller. Whether a pending interrupt cancelled the hand-off of the heal's netlink socket
 * was a race with the switching thread: each close is tried many times.
 */
@RequiresRoot
class InterruptedHealTest {
    private static final int ROUNDS = 30;
    private final String host = TestNames.unique("fx");
    private NetNamespace ns;

    @BeforeEach
    void build() {
        ns = NetNamespace.create(host);
        Ip.ok("-n", host, "link", "add", "fx0", "type", "veth", "peer", "name", "fx1");
        Ip.ok("-n", host, "addr", "add", "10.88.0.1/24", "dev", "fx0");
        Ip.ok("-n", host, "link", "set", "fx0", "up");
        Ip.ok("-n", host, "link", "set", "fx1", "up");
        // the veth's carrier comes on in the kernel's linkwatch work, asynchronously: LOWERLAYERDOWN until
        // then, and a state() read meanwhile would differ from every later one
        for (int i = 0; i < 500 && Ip.ok("-n", host, "-br", "link").contains("LOWERLAYERDOWN"); i++) {
            LockSupport.parkNanos(10_000_000);
        }
    }

    @AfterEach
    void remove() {
        ns.close();
        if (NetNamespace.exists(host)) {
            NetNamespace.delete(host);
        }
    }

    /** The devices' flags and qdiscs, and the routes: what the faults change. */
    private String state() {
        return Ip.ok("-n", host, "-br", "link")
                + Ip.ok("-n", host, "-4", "route")
                + Ip.exec(List.of("tc", "-n", host, "qdisc", "show")).ok().out();
    }

    private void closeInterrupted(String what, Supplier<Fault> make, String before) {
        for (int i = 0; i < ROUNDS; i++) {
            Fault f = make.get();
            assertThat(state()).as(what + " in force").isNotEqualTo(before);
            RuntimeException thrown = null;
            boolean flag;
            Thread.currentThread().interrupt();
            try {
                f.close();
            } catch (RuntimeException e) {
                thrown = e;
            } finally {
                flag = Thread.interrupted();
            }
            if (thrown != null) {
                f.heal(); // not to leave it in force for the next rounds
            }
            assertThat(thrown)
                    .as(what + ": close with the interrupt flag set, round " + i)
                    .isNull();
            assertThat(flag).as(what + ": the caller's interrupt flag kept").isTrue();
            assertThat(f.isActive()).isFalse();
            assertThat(state()).as(what + " healed").isEqualTo(before);
        }
    }

    @Test
    void faultsHealOnAnInterruptedThread() {
        String before = state();
        closeInterrupted("LinkCut", () -> LinkCut.cut(ns, "fx0"), before);
        closeInterrupted("RateLimit", () -> RateLimit.of(1_000_000).on(ns, "fx0"), before);
        closeInterrupted("PortMirror", () -> PortMirror.ingress(ns, "fx1", "lo"), before);
    }

    @Test
    void aScheduleRunHealsOnAnInterruptedThread() throws Exception {
        String before = state();
        for (int i = 0; i < ROUNDS / 2; i++) {
            CountDownLatch started = new CountDownLatch(1);
            // one cut lasting the whole run: in force from its start until the close
            ScheduleRun run = FaultSchedule.over(List.of("h"), List.of())
                    .length(Duration.ofSeconds(60))
                    .faults(1)
                    .faultLength(Duration.ofSeconds(60), Duration.ofSeconds(60))
                    .fault("cut fx0", h -> {
                        LinkCut cut = LinkCut.cut(h.get("h"), "fx0");
                        started.countDown();
                        return cut;
                    })
                    .plan(i)
                    .start(Map.of("h", ns));
            RuntimeException thrown = null;
            boolean flag;
            try {
                started.await();
                Thread.currentThread().interrupt();
                run.close();
            } catch (RuntimeException e) {
                thrown = e;
            } finally {
                flag = Thread.interrupted();
                if (!run.active().isEmpty()) {
                    run.close();
                }
            }
            assertThat(thrown)
                    .as("ScheduleRun.close with the interrupt flag set, round " + i)
                    .isNull();
            assertThat(flag).as("the caller's interrupt flag kept").isTrue();
            assertThat(run.active()).isEmpty();
            assertThat(state()).as("healed").isEqualTo(before);
        }
    }
}
