package io.github.netvirt.faults;

import io.github.netvirt.core.Topology;
import io.github.netvirt.netns.NetNamespace;

/**
 * A JVM that puts device faults into the namespaces its topology adopted, says so and waits to be
 * killed: {@code CrashedDeviceFaultChild PREFIX APP DB L0 M0 L1 [healed]} puts a rate limit on
 * {@code L0} and {@code M0} in {@code APP} and cuts {@code L1} in {@code DB} ("healed": and heals the
 * three before it says so).
 */
public final class CrashedDeviceFaultChild {
    private CrashedDeviceFaultChild() {}

    public static void main(String[] args) throws Exception {
        Topology t = Topology.create()
                .prefix(args[0] + "-")
                .adopt("app", args[1])
                .adopt("db", args[2])
                .apply();
        NetNamespace app = t.namespace("app");
        NetNamespace db = t.namespace("db");
        Fault l0 = RateLimit.of(10_000_000).on(app, args[3]);
        Fault m0 = RateLimit.of(10_000_000).on(app, args[4]);
        Fault l1 = LinkCut.cut(db, args[5]);
        if (args.length > 6 && args[6].equals("healed")) {
            l0.heal();
            m0.heal();
            l1.heal();
        }
        System.out.println("FAULTED");
        Thread.sleep(600_000);
    }
}
