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

    /** Phase timings of {@link #up()} when the system reports them (see {@link Phases}), else null. */
    default Phases phases() {
        return null;
    }
}
