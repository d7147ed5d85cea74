package io.github.netvirt.core;

import io.github.netvirt.core.spec.DeviceSpec;
import java.util.Objects;

/** A device of a topology by where it is: logical namespace {@code ns} and device name {@code dev}. */
record DeviceKey(String ns, String dev) {

    static DeviceKey of(DeviceSpec d) {
        return new DeviceKey(d.ns(), d.name());
    }

    // Written out: a record's generated equals and hashCode go through method handles, several times
    // slower while the JVM still interprets them (the first applies), and plans hash these keys a lot.
    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceKey k && Objects.equals(ns, k.ns) && Objects.equals(dev, k.dev);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hashCode(ns) + Objects.hashCode(dev);
    }
}
