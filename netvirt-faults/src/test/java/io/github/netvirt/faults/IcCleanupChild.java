package io.github.netvirt.faults;

import io.github.netvirt.core.CleanupReport;
import io.github.netvirt.core.Topology;

/** A fresh JVM that runs Topology.cleanup() and prints its report ({@code [PREFIX]}: removeDetached(PREFIX) instead). */
public final class IcCleanupChild {
    private IcCleanupChild() {}

    public static void main(String[] args) {
        if (args.length > 0) {
            System.out.println("removeDetached " + Topology.removeDetached(args[0]));
            return;
        }
        CleanupReport r = Topology.cleanup();
        System.out.println("removed " + r.removed());
        System.out.println("leftAlone " + r.leftAlone());
    }
}
