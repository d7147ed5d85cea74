package io.github.netvirt.core;

/**
 * A JVM that applies a named star topology once and then waits to be killed:
 * {@code HoldChild PREFIX HOSTS [ROOTPREFIX]}. Prints "applied" once the topology is up.
 */
public final class HoldChild {
    private HoldChild() {}

    public static void main(String[] args) throws Exception {
        Topology t = CrashChild.star(false, args[0], Integer.parseInt(args[1]), args.length > 2 ? args[2] : null)
                .apply();
        System.out.println("applied " + t.spec().namespaces().size());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
