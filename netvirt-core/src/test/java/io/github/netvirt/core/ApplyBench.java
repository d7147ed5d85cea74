package io.github.netvirt.core;

import java.util.Arrays;

/**
 * Median apply and close times of the seed and of a star: {@code ApplyBench [HOSTS] [RUNS] [named|ephemeral]}.
 * A benchmark main, not a test; compare with the reference peers run in the same session.
 */
public final class ApplyBench {
    private ApplyBench() {}

    public static void main(String[] args) {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        boolean ephemeral = args.length > 2 && args[2].equals("ephemeral");
        String prefix = "cob" + ProcessHandle.current().pid() % 1000 + "-";
        measure("seed", Seeds.seed().prefix(prefix), runs, ephemeral);
        measure("star " + hosts, CrashChild.star(ephemeral, prefix, hosts, null), runs, ephemeral);
    }

    private static void measure(String what, TopologyBuilder b, int runs, boolean ephemeral) {
        if (ephemeral) {
            b.ephemeral();
        }
        long[] apply = new long[runs];
        long[] close = new long[runs];
        for (int i = -1; i < runs; i++) { // one warm-up
            Topology t = b.apply();
            t.close();
            if (i >= 0) {
                apply[i] = t.applyTime().toNanos();
                close[i] = t.closeTime().toNanos();
            }
        }
        Arrays.sort(apply);
        Arrays.sort(close);
        System.out.printf(
                "%s (%s): apply median %.1f ms (min %.1f), close median %.1f ms (min %.1f), %d runs%n",
                what,
                ephemeral ? "ephemeral" : "named",
                apply[runs / 2] / 1e6,
                apply[0] / 1e6,
                close[runs / 2] / 1e6,
                close[0] / 1e6,
                runs);
    }
}
