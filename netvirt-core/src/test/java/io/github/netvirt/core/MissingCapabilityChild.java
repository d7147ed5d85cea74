package io.github.netvirt.core;

/**
 * Run by {@link MissingCapabilityTest} in a JVM without some of root's capabilities: applies a
 * two-namespace topology (named with prefix {@code args[0]}, or ephemeral when it is "-") and
 * prints what apply threw: {@code THROWN class: message}.
 */
public final class MissingCapabilityChild {
    private MissingCapabilityChild() {}

    public static void main(String[] args) {
        TopologyBuilder b = Topology.create();
        if (args[0].equals("-")) {
            b.ephemeral();
        } else {
            b.prefix(args[0]);
        }
        b.ns("a")
                .veth("eth0", "b", "eth0")
                .addr("10.7.0.1/24")
                .ns("b")
                .dev("eth0")
                .addr("10.7.0.2/24");
        try (Topology t = b.apply()) {
            System.out.println("APPLIED");
        } catch (RuntimeException e) {
            System.out.println("THROWN " + e.getClass().getName() + ": " + e.getMessage());
        }
    }
}
