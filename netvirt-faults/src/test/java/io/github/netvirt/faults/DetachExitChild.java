package io.github.netvirt.faults;

import io.github.netvirt.core.Topology;

/**
 * A JVM that adopts ADOPTED, rate-limits its device tg0 through the topology's handle, then detaches
 * the topology; {@code System.exit} is called from another thread once the detach has begun (from an
 * action the detach runs as it closes the adopted namespace's handle): {@code DetachExitChild PREFIX ADOPTED}.
 */
public final class DetachExitChild {
    private DetachExitChild() {}

    public static void main(String[] args) throws Exception {
        Topology t = Topology.create()
                .prefix(args[0])
                .adopt("c", args[1])
                .ns("h")
                .veth("e0", "c", args[0] + "c")
                .addr("10.219.3.1/24")
                .apply();
        t.namespace("c").beforeClose(() -> {
            new Thread(() -> System.exit(3), "exit").start();
            try {
                Thread.sleep(300); // the exit runs the shutdown hooks meanwhile
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        RateLimit.of(10_000_000).on(t.namespace("c"), "tg0");
        System.out.println("detaching");
        System.out.flush();
        t.detach();
        System.out.println("detached");
    }
}
