package io.github.netvirt.junit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Where the two parallel test classes meet: each waits until the other is running too. */
final class Rendezvous {
    static final CyclicBarrier BOTH_RUNNING = new CyclicBarrier(2);
    /** Kernel identity of each class's "server" namespace. */
    static final Map<String, String> SERVER_IDS = new ConcurrentHashMap<>();

    private Rendezvous() {}

    static void meet() throws Exception {
        try {
            BOTH_RUNNING.await(120, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the other class never ran at the same time: is "
                    + "junit.jupiter.execution.parallel.enabled set (src/test/resources/junit-platform.properties)?");
        }
    }
}
