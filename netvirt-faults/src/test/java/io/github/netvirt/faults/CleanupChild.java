package io.github.netvirt.faults;

import io.github.netvirt.core.CleanupReport;
import io.github.netvirt.core.Topology;

/** A JVM that runs {@link Topology#cleanup()} once (its run directory from {@code -Dnetvirt.run.dir}) and prints the report. */
public final class CleanupChild {
    private CleanupChild() {}

    public static void main(String[] args) {
        CleanupReport r = Topology.cleanup();
        System.out.println("removed " + r.removed());
        System.out.println("left alone " + r.leftAlone());
    }
}
