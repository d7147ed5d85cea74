package io.github.netvirt.core;

/** A JVM that starts the background reaper and exits {@code ExitDuringReapChild MILLIS} later, whatever it is doing. */
public final class ExitDuringReapChild {
    private ExitDuringReapChild() {}

    public static void main(String[] args) throws Exception {
        Topology.reapInBackground();
        Thread.sleep(Long.parseLong(args[0]));
        System.exit(0);
    }
}
