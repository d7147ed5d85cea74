import io.github.netvirt.core.Topology;
import io.github.netvirt.core.TopologyBuilder;

public class StarDown {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        for (String wait : args[1].split(",")) {
            TopologyBuilder b = Topology.create().prefix("s20z-");
            b.ns("br").bridge("br");
            for (int i = 1; i <= n; i++) {
                b.ns("h" + i).veth("eth0", "br", "p" + i).addr("10.213." + (i / 256) + "." + (i % 256) + "/16");
                b.ns("br").dev("p" + i).master("br");
            }
            Topology t = b.apply();
            Thread.sleep(Long.parseLong(wait));
            long s = System.nanoTime();
            t.close();
            System.out.printf("down %s ms after the up: %.1f ms%n", wait, (System.nanoTime() - s) / 1e6);
            Thread.sleep(3000);
        }
    }
}
