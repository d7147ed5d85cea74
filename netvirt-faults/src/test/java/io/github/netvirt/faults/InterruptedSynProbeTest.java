package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An interrupt that comes while a TCP SYN probe runs is kept: the probe returns with the caller's
 * interrupt status set (or {@code awaitReachable} throws), never with the interrupt swallowed, which
 * left {@code awaitReachable} waiting out its whole timeout.
 */
@RequiresRoot
class InterruptedSynProbeTest {
    @Test
    void anInterruptDuringASynProbeIsNeverLost() throws Exception {
        InetSocketAddress closedPort = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);
        List<String> lost = new ArrayList<>();
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            for (int i = 0; i < 400; i++) {
                Thread caller = Thread.currentThread();
                long delayNanos = (i * 7919L % 3000) * 1000; // 0 to 3 ms, spread over the probe's steps
                Thread interrupter = new Thread(() -> {
                    long end = System.nanoTime() + delayNanos;
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                    caller.interrupt();
                });
                interrupter.start();
                Probe p = Reachability.tcpSyn(ns, closedPort, Duration.ofMillis(200));
                boolean kept = Thread.currentThread().isInterrupted();
                while (interrupter.isAlive()) {
                    try {
                        interrupter.join();
                    } catch (InterruptedException afterTheProbe) {
                        kept = true;
                    }
                }
                kept |= Thread.interrupted();
                if (!kept) {
                    lost.add(delayNanos / 1000 + " us: " + p);
                }
            }
        }
        assertThat(lost).as("interrupts lost by the probe").isEmpty();
    }
}
