package io.github.netvirt.core;

/**
 * A JVM that adopts {@code ip netns} namespace ADOPTED as host "c", makes a bridge there and a veth
 * to its own namespace "srv", then waits to be killed: {@code AdoptChild PREFIX ADOPTED}.
 * Prints "applied" once the topology is up.
 */
public final class AdoptChild {
    private AdoptChild() {}

    public static void main(String[] args) throws Exception {
        Topology t = AdoptTest.withAdopted(Topology.create().prefix(args[0]).adopt("c", args[1]))
                .apply();
        System.out.println("applied " + t.spec().namespaces().size());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
