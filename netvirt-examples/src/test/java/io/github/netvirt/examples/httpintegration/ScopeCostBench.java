package io.github.netvirt.examples.httpintegration;

import io.github.netvirt.core.Topology;
import java.util.Arrays;

/**
 * What one {@code @Network} scope of {@link HttpIntegrationTest} costs (build + remove the network
 * its test method gets: {@link HttpIntegration#topology()}, a server and two clients on a bridge),
 * next to a peer measured in the same run: the same network built and removed by an iproute2 shell
 * script ({@code ip netns add}, {@code ip link add}, ... {@code ip netns del}), the way a test would
 * without netvirt. Not a test: run it by hand, as root, after {@code mvn package}:
 *
 * <pre>
 * java -cp netvirt-examples/target/test-classes:netvirt-examples/target/netvirt-examples.jar \
 *     io.github.netvirt.examples.httpintegration.ScopeCostBench
 * </pre>
 */
public final class ScopeCostBench {
    private static final int RUNS = 21;

    private ScopeCostBench() {}

    static String script(String p) {
        return String.join(
                "\n",
                "set -e",
                "trap 'for n in server client1 client2 lan; do ip netns del " + p + "$n 2>/dev/null; done' EXIT",
                "for n in server client1 client2 lan; do ip netns add " + p + "$n; ip -n " + p
                        + "$n link set lo up; done",
                "ip -n " + p + "lan link add name br type bridge",
                "ip -n " + p + "lan link set dev br up",
                "for n in server client1 client2; do",
                "  ip -n " + p + "$n link add eth0 type veth peer name $n-port netns " + p + "lan",
                "  ip -n " + p + "lan link set dev $n-port master br up",
                "  ip -n " + p + "$n link set eth0 up",
                "done",
                "ip -n " + p + "server addr add 10.0.4.1/24 dev eth0",
                "ip -n " + p + "client1 addr add 10.0.4.11/24 dev eth0",
                "ip -n " + p + "client2 addr add 10.0.4.12/24 dev eth0",
                "true # the EXIT trap removes the namespaces, as ip netns del would in a test's tear-down");
    }

    public static void main(String[] args) throws Exception {
        double[] netvirt = new double[RUNS];
        double[] shell = new double[RUNS];
        String prefix = "fjsc" + ProcessHandle.current().pid() % 10000 + "-";
        for (int i = -3; i < RUNS; i++) { // three warm-up rounds
            long t0 = System.nanoTime();
            try (Topology t = HttpIntegration.topology().apply()) {
                t.namespace("server");
            }
            long t1 = System.nanoTime();
            Process p =
                    new ProcessBuilder("sh", "-c", script(prefix)).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("the iproute2 peer failed");
            }
            long t2 = System.nanoTime();
            if (i >= 0) {
                netvirt[i] = (t1 - t0) / 1e6;
                shell[i] = (t2 - t1) / 1e6;
            }
        }
        double n = median(netvirt);
        double s = median(shell);
        System.out.printf(
                "one scope (4 namespaces, bridge, 3 veth, 3 addresses, build + remove), median of %d:%n", RUNS);
        System.out.printf(
                "  netvirt (ephemeral, what @Network uses) %.1f ms; iproute2 script %.1f ms; ratio script/netvirt %.1f%n",
                n, s, s / n);
        System.out.println("  netvirt runs: " + Arrays.toString(round(netvirt)));
        System.out.println("  script runs:  " + Arrays.toString(round(shell)));
    }

    static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }

    static long[] round(double[] v) {
        return Arrays.stream(v).mapToLong(Math::round).toArray();
    }
}
