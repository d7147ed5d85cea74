package io.github.netvirt.core;

/**
 * A JVM that applies and closes a topology, then calls {@code System.exit} from another thread and,
 * once the shutdown has begun, applies a second topology ({@code ApplyDuringShutdownChild PREFIX}),
 * as a program's loop does that goes on while the JVM shuts down. A shutdown hook of the program's own
 * takes 2 s (flushing, say), so the JVM is still shutting down when that apply returns.
 */
public final class ApplyDuringShutdownChild {
    private ApplyDuringShutdownChild() {}

    static TopologyBuilder pair(String prefix, String tag) {
        return Topology.create()
                .prefix(prefix + tag)
                .ns("a")
                .veth("e0", "b", "e0")
                .addr("10.219.1.1/24")
                .ns("b")
                .dev("e0")
                .addr("10.219.1.2/24");
    }

    public static void main(String[] args) throws Exception {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        pair(args[0], "0").apply().close(); // the first apply registers netvirt's hook
        new Thread(() -> System.exit(3), "exit").start();
        Thread probe = new Thread(() -> {});
        while (true) {
            try {
                Runtime.getRuntime().addShutdownHook(probe);
                Runtime.getRuntime().removeShutdownHook(probe);
                Thread.sleep(5);
            } catch (IllegalStateException shutdownBegun) {
                break;
            }
        }
        System.out.println("shutting down, applying");
        System.out.flush();
        Topology t = pair(args[0], "1").apply();
        System.out.println("applied " + t.spec().namespaces().size());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
