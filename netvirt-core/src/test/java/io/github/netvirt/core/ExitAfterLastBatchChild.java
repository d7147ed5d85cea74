package io.github.netvirt.core;

import java.util.concurrent.TimeUnit;

/**
 * A JVM whose first apply ({@code ExitAfterLastBatchChild PREFIX}: two named namespaces joined by a
 * veth) is still running when {@code System.exit} is called from another thread: once the kernel has
 * acknowledged the apply's last batch, before the apply returns. Prints "exit called" when the shutdown
 * hook has interrupted the apply, and "applied" if the apply returned a topology.
 */
public final class ExitAfterLastBatchChild {
    private ExitAfterLastBatchChild() {}

    public static void main(String[] args) throws Exception {
        TopologyBuilder b = Topology.create()
                .prefix(args[0])
                .ns("a")
                .veth("e0", "b", "e0")
                .addr("10.219.0.1/24")
                .ns("b")
                .dev("e0")
                .addr("10.219.0.2/24");
        int last = b.plan().steps().size() - 1;
        Thread applier = Thread.currentThread();
        Topology t = b.apply(ApplyOptions.othersAfter(last, () -> {
            new Thread(() -> System.exit(3), "exit").start();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!applier.isInterrupted() && System.nanoTime() < end) {
                Thread.onSpinWait(); // until netvirt's shutdown hook has interrupted the apply
            }
            System.out.println("exit called, apply interrupted: " + applier.isInterrupted());
            System.out.flush();
        }));
        System.out.println("applied " + t);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
