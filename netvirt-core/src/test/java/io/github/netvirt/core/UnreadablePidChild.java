package io.github.netvirt.core;

/**
 * A JVM that adopts process 1's namespace and prints why it cannot: run without CAP_SYS_PTRACE, so
 * that /proc refuses it pid 1's {@code ns/net}.
 */
public final class UnreadablePidChild {
    private UnreadablePidChild() {}

    public static void main(String[] args) {
        try {
            Topology.create().adoptPid("init", 1).bridge("b").plan();
            System.out.println("accepted");
        } catch (InvalidTopologyException e) {
            System.out.println("refused: " + e.getMessage());
        }
    }
}
