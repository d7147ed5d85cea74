package io.github.netvirt.core;

import java.util.concurrent.TimeUnit;

/** A JVM that applies an unrelated ephemeral topology and reports what the background reaper did. */
public final class ReapChild {
    private ReapChild() {}

    public static void main(String[] args) throws Exception {
        try (Topology t = Topology.create()
                .ephemeral()
                .ns("x")
                .veth("e0", "y", "e0")
                .ns("y")
                .apply()) {
            CleanupReport r = Topology.reapInBackground().get(60, TimeUnit.SECONDS);
            System.out.println("removed " + r.removed());
            System.out.println("leftAlone " + r.leftAlone());
        }
    }
}
