package io.github.netvirt.faults;

import io.github.netvirt.core.Topology;

/**
 * A JVM killed between a {@link PortMirror}'s two adds: {@code MirrorQdiscAddCrashChild PREFIX APP FROM TO}
 * mirrors {@code FROM} to {@code TO} in {@code APP}, which its topology adopted, and halts once the
 * ingress qdisc's add is done, before the filter's, saying "ADDED" first.
 */
public final class MirrorQdiscAddCrashChild {
    private MirrorQdiscAddCrashChild() {}

    public static void main(String[] args) {
        Topology t =
                Topology.create().prefix(args[0] + "-").adopt("app", args[1]).apply();
        OneShotFault.qdiscCreate = (h, s) -> {
            h.qdiscCreate(s);
            System.out.println("ADDED");
            System.out.flush();
            Runtime.getRuntime().halt(9);
            throw new AssertionError("halted");
        };
        PortMirror.ingress(t.namespace("app"), args[2], args[3]);
        throw new AssertionError("the add returned");
    }
}
