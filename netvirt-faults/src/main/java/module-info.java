/** Faults injected into a running topology (partitions, loss, rate limits, port mirrors), probes and schedules. */
module io.github.netvirt.faults {
    requires transitive io.github.netvirt.core;
    requires com.sun.jna;

    exports io.github.netvirt.faults;
    exports io.github.netvirt.faults.impair;
}
