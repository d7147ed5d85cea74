package io.github.netvirt.core;

/** A device of a topology by where it is: logical namespace {@code ns} and device name {@code dev}. */
record DeviceKey(String ns, String dev) {

    static DeviceKey of(io.github.netvirt.core.spec.DeviceSpec d) {
        return new DeviceKey(d.ns(), d.name());
    }
}
