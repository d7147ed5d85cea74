package io.github.netvirt.examples.twomachines;

import io.github.netvirt.examples.Example;

/** {@code java -jar netvirt-examples.jar two-machines}. */
public final class TwoMachinesExample implements Example {
    @Override
    public String name() {
        return "two-machines";
    }

    @Override
    public String summary() {
        return "two machine namespaces, bridges joined by VXLAN over an underlay veth: one L2 segment";
    }

    @Override
    public int run(String... args) throws Exception {
        return TwoMachines.run(args);
    }
}
