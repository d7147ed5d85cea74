package io.github.netvirt.core;

/**
 * A JVM that applies the seed (with a veth end ROOT + "a" in the root namespace) and changes it,
 * adding net2 with a veth end ROOT + "b" in the root namespace: {@code ChangeChild PREFIX ROOT halt|wait}.
 * With "halt" it dies (as by kill -9) right after the change made the root device; with "wait" it
 * prints "applied" once changed and waits to be killed.
 */
public final class ChangeChild {
    private ChangeChild() {}

    public static void main(String[] args) throws Exception {
        String root = args[1];
        Topology t = Seeds.seed()
                .prefix(args[0])
                .ns("net0")
                .veth("up0", Topology.ROOT, root + "a")
                .apply();
        TopologyBuilder change = LiveChangeTest.addNet2(t).ns("net2").veth("up2", Topology.ROOT, root + "b");
        change.apply(
                "halt".equals(args[2])
                        ? new ApplyOptions(-1, ApplyOptions.Fault.HALT_AFTER_ROOT_DEVICES)
                        : ApplyOptions.DEFAULT);
        System.out.println("applied " + t.spec().namespaces().size());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
