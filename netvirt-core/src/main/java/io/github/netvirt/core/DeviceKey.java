package io.github.netvirt.core;

import io.github.netvirt.core.spec.DeviceSpec;

/** A device of a topology by where it is: logical namespace {@code ns} and device name {@code dev}. */
record DeviceKey(String ns, String dev) {

    static DeviceKey of(DeviceSpec d) {
        return new DeviceKey(d.ns(), d.name());
    }
}
