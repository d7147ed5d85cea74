import io.github.netvirt.core.Topology;
import io.github.netvirt.core.TopologyBuilder;

public class RootStar {
    public static void main(String[] a) throws Exception {
        int n = Integer.parseInt(a[0]), warm = Integer.parseInt(a[1]), runs = Integer.parseInt(a[2]);
        String tag = a[3];
        long[] t = new long[runs];
        for (int r = -warm; r < runs; r++) {
            TopologyBuilder b = Topology.create().prefix("s38" + tag + "-").root().bridge("s38" + tag + "br").down();
            for (int i = 0; i < n; i++) {
                b.root().veth("s38" + tag + "v" + i, "h" + i, "eth0").master("s38" + tag + "br").down();
                b.ns("h" + i).dev("eth0").addr("10.77." + i + ".1/24");
            }
            long s = System.nanoTime();
            Topology top = b.apply();
            long e = System.nanoTime();
            top.close();
            if (r >= 0) t[r] = e - s;
        }
        java.util.Arrays.sort(t);
        System.out.printf("%s median_ms=%.3f%n", tag, t[runs / 2] / 1e6);
    }
}
