package io.github.netvirt.faults;

import io.github.netvirt.core.Topology;
import io.github.netvirt.core.TopologyBuilder;
import io.github.netvirt.netns.NetNamespace;
import java.util.List;

/**
 * A JVM that puts faults into the namespaces its topology adopted, says so and waits to be killed:
 * {@code CrashedFaultChild PREFIX APP DB devices|bare} ("devices": the topology also makes a veth
 * in the adopted namespaces, so its record lists them; "bare": it makes nothing there).
 */
public final class CrashedFaultChild {
    private CrashedFaultChild() {}

    public static void main(String[] args) throws Exception {
        TopologyBuilder b =
                Topology.create().prefix(args[0] + "-").adopt("app", args[1]).adopt("db", args[2]);
        if (args[3].equals("devices")) {
            b.veth("t0", "db", "t1");
        }
        Topology t = b.apply();
        NetNamespace app = t.namespace("app");
        NetNamespace db = t.namespace("db");
        Partition.between(List.of(app), List.of(db));
        ConnectionFault.refuse(db, 5432);
        System.out.println("FAULTED");
        Thread.sleep(600_000);
    }
}
