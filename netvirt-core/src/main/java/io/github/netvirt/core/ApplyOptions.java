package io.github.netvirt.core;

import io.github.netvirt.netns.NetNamespace;
import java.util.function.Consumer;

/**
 * Knobs of {@link Topology#apply}, for tests: {@code failAt} makes step k fail (-1: never);
 * {@code beforeDevices} runs on each new namespace once all exist, before anything is created in
 * them (to stand for what the kernel or another program may already have put there).
 */
record ApplyOptions(int failAt, Consumer<NetNamespace> beforeDevices) {
    static final ApplyOptions DEFAULT = new ApplyOptions(-1);

    ApplyOptions(int failAt) {
        this(failAt, ns -> { });
    }
}
