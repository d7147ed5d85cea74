package io.github.netvirt.core;

/** Knobs of {@link Topology#apply}, for tests: {@code failAt} makes step k fail (-1: never). */
record ApplyOptions(int failAt) {
    static final ApplyOptions DEFAULT = new ApplyOptions(-1);
}
