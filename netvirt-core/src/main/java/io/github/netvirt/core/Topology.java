package io.github.netvirt.core;

import io.github.netvirt.core.plan.Plan;
import io.github.netvirt.core.spec.TopologySpec;

public final class Topology implements AutoCloseable {
    public static final String ROOT = TopologySpec.ROOT;

    public static TopologyBuilder create() {
        return new TopologyBuilder();
    }

    static Topology apply(Plan plan, ApplyOptions options) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void close() {
    }
}
