package io.github.netvirt.tap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.testing.RequiresRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Options that differ from an existing device's are refused (EINVAL) before anything changes. The
 * kernel refuses another kind or multi-queue setting itself, but not packet info or the vnet
 * header: on an extra queue of a multi-queue device it ignores them, on the first queue attached it
 * overwrites the device's (tun_set_iff).
 */
@RequiresRoot
class TapOptionsTest {
    private NetNamespace ns;

    @BeforeEach
    void namespace() {
        ns = NetNamespace.ephemeral();
    }

    @AfterEach
    void close() {
        ns.close();
    }

    @Test
    void anExtraQueueWithOtherPacketInfoIsRefusedAndTheDeviceKeepsItsOwn() throws Exception {
        try (TapDevice q0 = TapDevice.tap("ftmq").multiQueue(true).open(ns)) {
            assertRefused(TapDevice.tap("ftmq").multiQueue(true).packetInfo(true));
            assertThat(Kernel.link(ns, "ftmq")).contains("\"pi\":false", "\"numqueues\":1");
            assertThat(q0.isOpen()).isTrue();
            try (TapDevice q1 = TapDevice.tap("ftmq").multiQueue(true).open(ns)) {
                assertThat(q1.packetInfo()).isFalse();
            }
        }
        try (TapDevice q0 =
                TapDevice.tap("ftmqpi").multiQueue(true).packetInfo(true).open(ns)) {
            assertRefused(TapDevice.tap("ftmqpi").multiQueue(true));
            assertThat(Kernel.link(ns, "ftmqpi")).contains("\"pi\":true");
            try (TapDevice q1 = q0.openQueue()) {
                assertThat(q1.packetInfo()).isTrue();
            }
        }
    }

    @Test
    void attachingWithOtherPacketInfoToAPersistentDeviceIsRefusedAndChangesNothing() throws Exception {
        Kernel.ip(ns, "tuntap", "add", "dev", "ftp0", "mode", "tap");
        assertThat(Kernel.link(ns, "ftp0")).contains("\"pi\":false", "\"persist\":true");
        assertRefused(TapDevice.tap("ftp0").packetInfo(true));
        assertThat(Kernel.link(ns, "ftp0")).contains("\"pi\":false", "\"persist\":true");
        try (TapDevice same = TapDevice.tap("ftp0").open(ns)) {
            assertThat(same.packetInfo()).isFalse();
        }

        Kernel.ip(ns, "tuntap", "add", "dev", "ftp1", "mode", "tap", "pi");
        assertRefused(TapDevice.tap("ftp1"));
        assertThat(Kernel.link(ns, "ftp1")).contains("\"pi\":true");
    }

    @Test
    void attachingToAPersistentMultiQueueDeviceWithOtherPacketInfoIsRefused() throws Exception {
        Kernel.ip(ns, "tuntap", "add", "dev", "ftp2", "mode", "tap", "multi_queue");
        assertRefused(TapDevice.tap("ftp2").multiQueue(true).packetInfo(true));
        assertThat(Kernel.link(ns, "ftp2")).contains("\"pi\":false", "\"multi_queue\":true");
    }

    @Test
    void attachingToADeviceWithAVnetHeaderIsRefusedAndItKeepsIt() throws Exception {
        Kernel.ip(ns, "tuntap", "add", "dev", "ftp3", "mode", "tap", "vnet_hdr");
        assertThat(Kernel.link(ns, "ftp3")).contains("\"vnet_hdr\":true");
        assertRefused(TapDevice.tap("ftp3"));
        assertThat(Kernel.link(ns, "ftp3")).contains("\"vnet_hdr\":true");
    }

    private void assertRefused(TapDevice.Builder options) {
        assertThatThrownBy(() -> options.open(ns).close())
                .isInstanceOfSatisfying(
                        TapException.class, e -> assertThat(e.is(Errno.EINVAL)).isTrue())
                .hasMessageContaining("other options");
    }
}
