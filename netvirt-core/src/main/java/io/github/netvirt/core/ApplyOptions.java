package io.github.netvirt.core;

import io.github.netvirt.netns.NetNamespace;
import java.util.function.Consumer;

/**
 * Knobs of {@link Topology#apply}, for tests: {@code failAt} makes step k fail (-1: never);
 * {@code beforeDevices} runs on each new namespace as it is made, on the thread that made it, before
 * anything is created in it or its ifindexes are read (to stand for what the kernel may already have
 * put there, such as fallback tunnels); {@code fault}
 * simulates what cannot be provoked on demand once the first devices have been made in the root
 * namespace; {@code atFailAt} runs when {@code failAt} stops an apply or a change, once the steps
 * before it are done, before the failure is thrown (to stand for what others do to the network
 * meanwhile); {@code others} runs once the kernel has acknowledged batched step {@code othersAfter}
 * (-1: never), before the apply reads or sends anything more: the batch that holds the step ends with
 * it (to stand for what others do to the network between a request and the next).
 */
record ApplyOptions(
        int failAt,
        Consumer<NetNamespace> beforeDevices,
        Fault fault,
        Runnable atFailAt,
        int othersAfter,
        Runnable others) {
    static final ApplyOptions DEFAULT = new ApplyOptions(-1);

    enum Fault {
        NONE,
        /** The kernel made the root-namespace devices, but their acks are lost: apply fails. */
        ROOT_ACKS_LOST,
        /** The JVM dies (as by {@code kill -9}) right after the kernel made them. */
        HALT_AFTER_ROOT_DEVICES
    }

    ApplyOptions(int failAt, Consumer<NetNamespace> beforeDevices, Fault fault) {
        this(failAt, beforeDevices, fault, () -> {}, -1, () -> {});
    }

    ApplyOptions(int failAt) {
        this(failAt, ns -> {}, Fault.NONE);
    }

    ApplyOptions(int failAt, Consumer<NetNamespace> beforeDevices) {
        this(failAt, beforeDevices, Fault.NONE);
    }

    ApplyOptions(int failAt, Fault fault) {
        this(failAt, ns -> {}, fault);
    }

    /** Fails at step {@code failAt}, running {@code atFailAt} first. */
    static ApplyOptions failingAt(int failAt, Runnable atFailAt) {
        return new ApplyOptions(failAt, ns -> {}, Fault.NONE, atFailAt, -1, () -> {});
    }

    /** Runs {@code others} once the kernel has acknowledged batched step {@code step}. */
    static ApplyOptions othersAfter(int step, Runnable others) {
        return new ApplyOptions(-1, ns -> {}, Fault.NONE, () -> {}, step, others);
    }
}
