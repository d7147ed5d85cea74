package io.github.netvirt.core;

/**
 * Run by {@link MissingCapabilityTest} in a JVM without some of root's capabilities: applies a
 * two-namespace topology (named with prefix {@code args[0]}, or ephemeral when it is "-") and
 * prints what apply threw: {@code THROWN class: message}. With {@code args[1]}, the first
 * namespace's end is instead a veth in the root namespace ({@code root:DEVICE}), or in a namespace
 * the topology adopts by name ({@code netns:NAME}) or by process ({@code pid:PID}).
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
        String where = args.length > 1 ? args[1] : "";
        String value = where.substring(where.indexOf(':') + 1);
        if (where.startsWith("root:")) {
            b.root().veth(value, "b", "eth0").addr("10.7.0.1/24");
        } else if (where.startsWith("netns:")) {
            b.adopt("a", value).veth("eth0", "b", "eth0").addr("10.7.0.1/24");
        } else if (where.startsWith("pid:")) {
            b.adoptPid("a", Long.parseLong(value)).veth("eth0", "b", "eth0").addr("10.7.0.1/24");
        } else {
            b.ns("a").veth("eth0", "b", "eth0").addr("10.7.0.1/24");
        }
        b.ns("b").dev("eth0").addr("10.7.0.2/24");
        try (Topology t = b.apply()) {
            System.out.println("APPLIED");
        } catch (RuntimeException e) {
            System.out.println("THROWN " + e.getClass().getName() + ": " + e.getMessage());
        }
    }
}
