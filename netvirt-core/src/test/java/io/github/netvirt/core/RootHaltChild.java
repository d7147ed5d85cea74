package io.github.netvirt.core;

/**
 * A JVM that dies (as by {@code kill -9}) right after the kernel made its root-namespace devices,
 * before anything else about them is known: {@code RootHaltChild HOST}.
 */
public final class RootHaltChild {
    private RootHaltChild() {}

    public static void main(String[] args) {
        RootDeviceTest.rootOnly(args[0]).apply(new ApplyOptions(-1, ApplyOptions.Fault.HALT_AFTER_ROOT_DEVICES));
        System.out.println("not halted");
    }
}
