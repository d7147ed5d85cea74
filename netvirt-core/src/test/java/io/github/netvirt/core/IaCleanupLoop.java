package io.github.netvirt.core;

/** A JVM that runs {@link Topology#cleanup()} of its run directory in a loop until it is killed. */
public final class IaCleanupLoop {
    private IaCleanupLoop() {}

    public static void main(String[] args) {
        for (long n = 0; ; n++) {
            CleanupReport r = Topology.cleanup();
            for (String s : r.leftAlone()) {
                if (!s.contains("its owner is running")) {
                    System.out.println("LEFT " + s);
                }
            }
        }
    }
}
