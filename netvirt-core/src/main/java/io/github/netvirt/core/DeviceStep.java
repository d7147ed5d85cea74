package io.github.netvirt.core;

import io.github.netvirt.core.spec.DeviceSpec;

/** A step on one device of the topology, made in the device's namespace. */
sealed interface DeviceStep extends Op
        permits LinkAddStep, LinkSetStep, MasterStep, UpStep, AddrAddStep, AddrDelStep, LinkDelStep {

    DeviceSpec device();

    @Override
    default String ns() {
        return device().ns();
    }
}
