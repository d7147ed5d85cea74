package io.github.netvirt.bench.tap;

/**
 * One measurement of one system for one key ({@code "1500"}, {@code "1500-paced"}...): the frames
 * read per second of wall time, per second of the busier thread's CPU time, and the share of the
 * measurement its writer and reader spent waiting for their pinned CPUs (other work on the machine).
 * The wait shares are NaN when the system could not tell.
 */
record TapSample(String key, String system, double readFps, double cpuFps, double writerWait, double readerWait) {

    static TapSample of(String key, String system, TapRun run) {
        ThreadCounters w = run.writerCounters;
        ThreadCounters r = run.readerCounters;
        return new TapSample(
                key,
                system,
                run.readFps(),
                run.cpuFps(),
                w == ThreadCounters.NONE ? Double.NaN : w.waitNanos() / (run.secs * 1e9),
                r == ThreadCounters.NONE ? Double.NaN : r.waitNanos() / (run.secs * 1e9));
    }

    /** The larger of the two wait shares (NaN when unknown). */
    double cpuWait() {
        return Math.max(writerWait, readerWait);
    }
}
