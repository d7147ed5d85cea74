import io.github.netvirt.core.Topology;
import java.util.Arrays;

public class SeedTime {
    public static void main(String[] a) throws Exception {
        int warm = Integer.parseInt(a[0]), runs = Integer.parseInt(a[1]);
        String p = "ab" + ProcessHandle.current().pid() + "-";
        double[] t = new double[runs];
        for (int i = -warm; i < runs; i++) {
            long s = System.nanoTime();
            Topology seed = Topology.create().prefix(p)
                    .ns("net0").veth("net0-bridge", "bridge", "bridge-net0").addr("10.0.1.1/24")
                    .ns("net1").veth("net1-bridge", "bridge", "bridge-net1").addr("10.0.1.2/24")
                    .ns("bridge").bridge("br").ports("bridge-net0", "bridge-net1")
                    .apply();
            long e = System.nanoTime();
            seed.close();
            if (i >= 0) t[i] = (e - s) / 1e6;
            Thread.sleep(30);
        }
        Arrays.sort(t);
        System.out.printf("median_ms=%.3f%n", t[runs / 2]);
    }
}
