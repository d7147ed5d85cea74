package io.github.netvirt.core;

import io.github.netvirt.core.spec.NamespaceSpec;
import io.github.netvirt.core.spec.TopologySpec;

/** A step that makes or removes a whole namespace: its own system calls, never in a netlink batch. */
sealed interface NamespaceStep extends Op permits NsAddStep, NsDelStep {

    NamespaceSpec namespace();

    @Override
    default String ns() {
        return namespace().name();
    }

    @Override
    default boolean batched() {
        return false;
    }

    @Override
    default String subject() {
        return TopologySpec.label(ns());
    }
}
