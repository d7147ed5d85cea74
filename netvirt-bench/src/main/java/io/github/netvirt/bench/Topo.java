package io.github.netvirt.bench;

/**
 * One system that builds and tears down a topology: netvirt, a peer script, or the floor.
 * {@link #up()} and {@link #down()} are what is timed; {@link #cleanup()} removes whatever an
 * interrupted run left behind and must be safe to call at any time, also from a shutdown hook.
 */
public interface Topo {
    String system();

    void up() throws Exception;

    void down() throws Exception;

    void cleanup();

    /** True for a peer timed as a whole process: it needs no JVM warm-up rounds. */
    default boolean wholeProcess() {
        return false;
    }

    /**
     * For a system that times itself inside its own process: what it reported for the last
     * {@link #up()} or {@link #down()}, in milliseconds; NaN (the default) when the harness's
     * wall-clock time around the call is the measure.
     */
    default double selfTimedMillis() {
        return Double.NaN;
    }

    /**
     * For a system run as another process that measures itself: the CPU time (user and system, every thread) of
     * the last {@link #up()}, in milliseconds; NaN (the default) when not known.
     */
    default double selfCpuMillis() {
        return Double.NaN;
    }

    /** Phase timings of {@link #up()} when the system reports them (see {@link Phases}), else null. */
    default Phases phases() {
        return null;
    }
}
