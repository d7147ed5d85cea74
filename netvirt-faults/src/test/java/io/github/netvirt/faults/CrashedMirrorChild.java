package io.github.netvirt.faults;

import io.github.netvirt.core.Topology;
import io.github.netvirt.netns.NetNamespace;

/**
 * A JVM that mirrors a device of a namespace its topology adopted, says so and waits to be killed:
 * {@code CrashedMirrorChild PREFIX APP FROM TO [healed]} mirrors {@code FROM} to {@code TO} in
 * {@code APP} ("healed": and heals it before it says so).
 */
public final class CrashedMirrorChild {
    private CrashedMirrorChild() {}

    public static void main(String[] args) throws Exception {
        Topology t =
                Topology.create().prefix(args[0] + "-").adopt("app", args[1]).apply();
        NetNamespace app = t.namespace("app");
        Fault mirror = PortMirror.ingress(app, args[2], args[3]);
        if (args.length > 4 && args[4].equals("healed")) {
            mirror.heal();
        }
        System.out.println("FAULTED");
        Thread.sleep(600_000);
    }
}
