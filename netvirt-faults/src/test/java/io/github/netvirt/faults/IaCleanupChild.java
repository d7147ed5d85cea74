package io.github.netvirt.faults;

import io.github.netvirt.core.CleanupReport;
import io.github.netvirt.core.Topology;

/** A fresh JVM: {@link Topology#cleanup()} once; prints each removed and left-alone entry on a line, or EXC. */
public final class IaCleanupChild {
    private IaCleanupChild() {}

    public static void main(String[] args) {
        try {
            CleanupReport r = Topology.cleanup();
            for (String s : r.removed()) {
                System.out.println("REMOVED " + s.replace('\n', ' '));
            }
            for (String s : r.leftAlone()) {
                System.out.println("LEFT " + s.replace('\n', ' '));
            }
        } catch (Throwable e) {
            System.out.println(("EXC " + e).replace('\n', ' '));
        }
        System.out.println("DONE");
    }
}
