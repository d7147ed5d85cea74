package io.github.netvirt.bench.cold;

/**
 * The {@code jvm-empty} process of the {@code cold} workload: a main that does nothing, started like
 * {@link ColdSeed} (same java, same options, same class path), so that its whole process is what
 * starting and stopping that JVM costs before any netvirt or JNA class loads.
 */
public final class ColdEmpty {
    private ColdEmpty() {}

    public static void main(String[] args) {
        // nothing: the JVM's start and exit are what is measured
    }
}
