package io.github.netvirt.bench.cold;

import io.github.netvirt.bench.netvirt.NetvirtTopos;
import io.github.netvirt.core.Topology;
import java.util.Locale;

/**
 * The process the {@code cold} workload starts, once per run: a fresh JVM that describes the seed,
 * applies it, closes it and exits, as a user's {@code java -jar ... seed} would (without the
 * connectivity check). Prints {@code cold apply_ms=.. close_ms=..}.
 */
public final class ColdSeed {
    private ColdSeed() {}

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: ColdSeed PREFIX");
            System.exit(2);
        }
        long t0 = System.nanoTime();
        Topology t = NetvirtTopos.seedDescription(args[0]).apply();
        long t1 = System.nanoTime();
        t.close();
        long t2 = System.nanoTime();
        System.out.println(
                String.format(Locale.ROOT, "cold apply_ms=%.3f close_ms=%.3f", (t1 - t0) / 1e6, (t2 - t1) / 1e6));
    }
}
