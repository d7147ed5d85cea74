package io.github.netvirt.core;

/** Throwaway timing marks of run 2026-12-06g (not kept in netvirt-core): marks.diff places them. */
public final class Exp {
    static final int K = 32;
    static final long[][] T = new long[400][K];
    static int n = -1;
    static long t0;
    static int batch;

    static void start() {
        n++;
        batch = 0;
        t0 = System.nanoTime();
    }

    static void mark(int k) {
        if (n >= 0 && n < T.length) {
            T[n][k] = System.nanoTime() - t0;
        }
    }

    static void at(int k, long t) {
        if (n >= 0 && n < T.length) {
            T[n][k] = t - t0;
        }
    }

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (java.io.PrintWriter w = new java.io.PrintWriter("/tmp/s33/exp-" + ProcessHandle.current().pid() + ".txt")) {
                for (int i = 0; i <= n && i < T.length; i++) {
                    StringBuilder s = new StringBuilder();
                    for (int k = 0; k < K; k++) {
                        s.append(T[i][k] / 1000).append(' ');
                    }
                    w.println(s);
                }
            } catch (Exception e) {
                e.printStackTrace();
            }
        }));
    }
}
