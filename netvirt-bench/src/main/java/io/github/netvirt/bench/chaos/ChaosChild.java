package io.github.netvirt.bench.chaos;

import com.sun.jna.Library;
import com.sun.jna.Native;
import io.github.netvirt.core.Topology;
import io.github.netvirt.core.TopologyBuilder;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * A JVM that applies and closes one topology in a loop until it kills itself with SIGKILL at a
 * random point of the phase it is told ({@code apply} or {@code close}), with an anchor topology of
 * the same kind open all along and a process running in each:
 * {@code ChaosChild named|ephemeral apply|close PREFIX ROOTDEV TOKEN}. The kill comes from a thread
 * of its own, timed from inside, so that it lands in the phase (a parent's signal arrives
 * milliseconds late on a loaded machine); it prints {@code K <phase>} just before.
 */
public final class ChaosChild {
    private static final int WARM = 4;

    private interface C extends Library {
        C LIBC = Native.load("c", C.class);

        int kill(int pid, int sig);
    }

    private static volatile int phase; // 0 none, 1 apply, 2 close
    private static volatile long cycle;

    private ChaosChild() {}

    public static void main(String[] args) throws Exception {
        boolean ephemeral = args[0].equals("ephemeral");
        int target = args[1].equals("apply") ? 1 : 2;
        String prefix = args[2];
        String token = args[4];
        PrintStream out = System.out;
        TopologyBuilder anchor = Topology.create().prefix(prefix + "x").ns("h").bridge("b");
        if (ephemeral) {
            anchor.ephemeral();
        }
        TopologyBuilder b = ChaosBench.topology(prefix, args[3], ephemeral);
        Topology held = anchor.apply();
        held.namespace("h").start(ChaosBench.sleeper(token));
        long[] spans = new long[WARM];
        for (long n = 0; ; n++) {
            cycle = n;
            if (n >= WARM && target == 1) {
                arm(n, 1, spans, out);
            }
            phase = 1;
            long t0 = System.nanoTime();
            Topology t = b.apply();
            long applied = System.nanoTime();
            phase = 0;
            Process p = t.namespace("h1").start(ChaosBench.sleeper(token));
            if (n >= WARM && target == 2) {
                arm(n, 2, spans, out);
            }
            phase = 2;
            long t1 = System.nanoTime();
            t.close();
            long closed = System.nanoTime();
            phase = 0;
            if (n < WARM) {
                spans[(int) n] = target == 1 ? applied - t0 : closed - t1;
            }
            p.destroyForcibly(); // this cycle was not the one killed: what close() left is not this run's figure
            p.waitFor();
        }
    }

    /** Starts a thread that kills this JVM at a random point of phase {@code which} of cycle {@code n}, if it is still in it then. */
    private static void arm(long n, int which, long[] spans, PrintStream out) {
        long[] s = spans.clone();
        Arrays.sort(s);
        long at = System.nanoTime() + (long) (ThreadLocalRandom.current().nextDouble() * s[s.length / 2]);
        Thread k = new Thread(
                () -> {
                    long wait;
                    while ((wait = at - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    if (phase == which && cycle == n) {
                        out.println("K " + (which == 1 ? "apply" : "close"));
                        out.flush();
                        C.LIBC.kill((int) ProcessHandle.current().pid(), 9);
                    }
                },
                "chaos-killer");
        k.setDaemon(true);
        k.start();
    }
}
