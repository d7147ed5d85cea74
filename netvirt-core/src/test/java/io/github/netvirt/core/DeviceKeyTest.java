package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeviceKeyTest {
    @Test
    void equalWhenNamespaceAndDeviceAreAlsoWithNulls() {
        assertThat(new DeviceKey("a", "eth0"))
                .isEqualTo(new DeviceKey("a", "eth0"))
                .hasSameHashCodeAs(new DeviceKey("a", "eth0"))
                .isNotEqualTo(new DeviceKey("b", "eth0"))
                .isNotEqualTo(new DeviceKey("a", "eth1"))
                .isNotEqualTo(new DeviceKey(null, "eth0"));
        assertThat(new DeviceKey(null, null))
                .isEqualTo(new DeviceKey(null, null))
                .hasSameHashCodeAs(new DeviceKey(null, null));
    }
}
