package io.github.netvirt.bench.netvirt;

import io.github.netvirt.bench.Topo;
import io.github.netvirt.core.Topology;
import io.github.netvirt.core.TopologyBuilder;
import io.github.netvirt.examples.Seed;
import java.util.function.Supplier;

/** A topology through netvirt-core's DSL: describe, {@code apply()}, and {@code close()} to tear down. */
final class CoreTopo implements Topo {
    private final Supplier<TopologyBuilder> description;
    private volatile Topology live;

    CoreTopo(Supplier<TopologyBuilder> description) {
        this.description = description;
    }

    /** The seed recipe as a user writes it: the seed example's own description. */
    static CoreTopo seed(String prefix) {
        return new CoreTopo(() -> Seed.topology(prefix));
    }

    /** star.sh's star: bridge pbbr in "br", host i joined by pbeth/pbh&lt;i&gt; with 10.213.i/256.i%256/16. */
    static CoreTopo star(String prefix, int n) {
        return new CoreTopo(() -> {
            TopologyBuilder b = Topology.create().prefix(prefix).named();
            b.ns("br").bridge("pbbr");
            String[] ports = new String[n];
            for (int i = 1; i <= n; i++) {
                b.ns("h" + i).veth("pbeth", "br", "pbh" + i).addr("10.213." + i / 256 + "." + i % 256 + "/16");
                ports[i - 1] = "pbh" + i;
            }
            return b.ns("br").dev("pbbr").ports(ports);
        });
    }

    @Override
    public String system() {
        return "netvirt";
    }

    @Override
    public void up() {
        live = description.get().apply();
    }

    @Override
    public void down() {
        Topology t = live;
        live = null;
        t.close();
    }

    /** The live topology (for the memory workload), null when down. */
    Topology live() {
        return live;
    }

    @Override
    public void cleanup() {
        Topology t = live;
        live = null;
        if (t != null) {
            try {
                t.close();
            } catch (RuntimeException e) {
                System.err.println("# cleanup: " + e);
            }
        }
    }
}
