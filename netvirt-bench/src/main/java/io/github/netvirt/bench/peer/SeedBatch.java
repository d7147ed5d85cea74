package io.github.netvirt.bench.peer;

import io.github.netvirt.bench.WholeProcess;
import java.util.Map;

/**
 * The seed network through {@code ip -batch}. A batch cannot switch namespaces per line and an
 * address can only be added from inside its namespace, so (as peers/star.sh's ip-batch peer does):
 * one {@code ip -batch} in the root namespace for the namespaces, one {@code ip -n BRIDGE -batch}
 * for the bridge and both veth pairs (peers created directly in their namespaces), and one
 * {@code ip -n NETi -batch} per end namespace for its address and link up. Same state as the recipe.
 */
public final class SeedBatch extends WholeProcess {
    private final String net0;
    private final String net1;
    private final String bridge;

    public SeedBatch(String prefix) {
        super("ip-batch");
        this.net0 = prefix + "net0";
        this.net1 = prefix + "net1";
        this.bridge = prefix + "bridge";
    }

    @Override
    public void up() throws Exception {
        batch(null, "netns add " + net0 + "\nnetns add " + net1 + "\nnetns add " + bridge + "\n");
        batch(
                bridge,
                "link add name br up type bridge\n"
                        + "link add name bridge-net0 master br up type veth peer name net0-bridge netns " + net0 + "\n"
                        + "link add name bridge-net1 master br up type veth peer name net1-bridge netns " + net1
                        + "\n");
        batch(net0, "link set dev net0-bridge up\naddress add 10.0.1.1/24 dev net0-bridge\n");
        batch(net1, "link set dev net1-bridge up\naddress add 10.0.1.2/24 dev net1-bridge\n");
    }

    @Override
    public void down() throws Exception {
        batch(null, "netns del " + net0 + "\nnetns del " + net1 + "\nnetns del " + bridge + "\n");
    }

    /** Runs {@code commands} through one {@code ip -batch -}, in namespace {@code ns} (null: the caller's). */
    private static void batch(String ns, String commands) throws Exception {
        if (ns == null) {
            Script.pipe(Map.of(), commands, "ip", "-batch", "-");
        } else {
            Script.pipe(Map.of(), commands, "ip", "-n", ns, "-batch", "-");
        }
    }

    @Override
    public void cleanup() {
        for (String ns : new String[] {net0, net1, bridge}) {
            if (Script.netnsStartingWith(ns).contains(ns)) {
                Script.quietly(Map.of(), null, "ip", "netns", "del", ns);
            }
        }
    }
}
