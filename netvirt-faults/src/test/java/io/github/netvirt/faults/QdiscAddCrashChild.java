package io.github.netvirt.faults;

import io.github.netvirt.core.Topology;

/**
 * A JVM killed right after the kernel made a fault's root qdisc, before the add returned:
 * {@code QdiscAddCrashChild PREFIX APP DEV} puts a rate limit on {@code DEV} in {@code APP}, which its
 * topology adopted, and halts once the add is done, saying "ADDED" first.
 */
public final class QdiscAddCrashChild {
    private QdiscAddCrashChild() {}

    public static void main(String[] args) {
        Topology t =
                Topology.create().prefix(args[0] + "-").adopt("app", args[1]).apply();
        OneShotFault.qdiscCreate = (h, s) -> {
            h.qdiscCreate(s);
            System.out.println("ADDED");
            System.out.flush();
            Runtime.getRuntime().halt(9);
            throw new AssertionError("halted");
        };
        RateLimit.of(10_000_000).on(t.namespace("app"), args[2]);
        throw new AssertionError("the add returned");
    }
}
