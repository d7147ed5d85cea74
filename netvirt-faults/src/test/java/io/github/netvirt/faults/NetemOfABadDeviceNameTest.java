package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code Netem.on(ns, device)} checks the device's name before it asks whether the kernel has netem,
 * as every fault checks its arguments first: on a kernel without netem, {@code "a/b"} or {@code ".."}
 * was answered "this kernel has no netem qdisc" (helper C's audit, s46).
 */
@RequiresRoot
class NetemOfABadDeviceNameTest {
    @Test
    void aNameNoDeviceCanHaveIsRefusedAsSuchOnEveryKernel() {
        Netem netem = new Netem(Duration.ofMillis(5), Duration.ZERO, 0, 0, 1);
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            for (String name : new String[] {"a/b", "..", "", "sixteen-bytes-xx"}) {
                assertThatThrownBy(() -> netem.on(ns, name))
                        .as(name)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("not an interface name");
            }
        }
    }
}
