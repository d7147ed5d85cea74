package io.github.netvirt.bench.cold;

import io.github.netvirt.bench.floor.Floor;
import io.github.netvirt.netns.internal.LibC;
import java.util.Locale;

/**
 * The {@code floor-cold} process of the {@code cold} workload: a fresh JVM that makes the seed with
 * the bench's bare syscalls ({@link Floor#seed}: JNA direct mapping and hand-encoded netlink, no
 * netvirt code but its JNA binding of libc), takes it down and exits. Prints
 * {@code cold apply_ms=.. close_ms=..} as {@link ColdSeed} does, the up in place of the apply, then
 * {@code phases jna-load=.. namespaces=.. sockets=.. ...}: where that up went (ms), JNA's start-up and
 * the binding of libc first, then {@link Floor}'s own phases.
 */
public final class ColdFloor {
    private ColdFloor() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: ColdFloor PREFIX");
            System.exit(2);
        }
        long t0 = System.nanoTime();
        // JNA and the libc binding first, timed apart: the first phase a fresh JVM pays
        LibC.load();
        Floor f = Floor.seed(args[0]);
        f.phases().start();
        double jna = (System.nanoTime() - t0) / 1e6;
        try {
            f.up();
            long t1 = System.nanoTime();
            f.phases().keep();
            f.down();
            long t2 = System.nanoTime();
            System.out.println(String.format(
                            Locale.ROOT,
                            "cold apply_ms=%.3f close_ms=%.3f phases jna-load=%.3f ",
                            (t1 - t0) / 1e6,
                            (t2 - t1) / 1e6,
                            jna)
                    + f.phases().summary());
        } finally {
            f.cleanup();
        }
    }
}
