package io.github.netvirt.tap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.MacAddress;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A tap whose index was read, then moved to another namespace: its configuration calls must never
 * reach the device that holds that index in the namespace it was opened in now, and must say the
 * tap is no longer there (IllegalStateException), whether a device holds the index or none does.
 */
@RequiresRoot
class MovedTapTest {
    private NetNamespace a;
    private NetNamespace b;

    @BeforeEach
    void namespaces() {
        a = NetNamespace.ephemeral();
        b = NetNamespace.ephemeral();
    }

    @AfterEach
    void close() {
        try {
            a.close();
        } finally {
            b.close();
        }
    }

    @Test
    void aForeignDeviceAtTheMovedTapsOldIndexIsNeverTouched() throws Exception {
        try (TapDevice tap = TapDevice.tap("ftmv0").open(a)) {
            tap.up();
            int index = tap.ifindex();
            moveTo(b, "ftmv0");
            // someone else's device, at the index the tap had here
            Kernel.ip(a, "link", "add", "ftfor0", "index", Integer.toString(index), "type", "bridge");
            Kernel.ip(a, "link", "set", "dev", "ftfor0", "up");
            String before = Kernel.ip(a, "-o", "link", "show", "dev", "ftfor0"); // state, MTU, MAC; no timers
            assertThat(before).startsWith(index + ": ftfor0: ").contains(",UP", "mtu 1500");

            assertRefused(tap::down);
            assertRefused(() -> tap.setMtu(1280));
            assertRefused(() -> tap.setMac(MacAddress.parse("02:00:00:00:66:66")));
            assertRefused(tap::up);
            assertRefused(tap::link);
            assertRefused(tap::ifindex);

            assertThat(Kernel.ip(a, "-o", "link", "show", "dev", "ftfor0"))
                    .as("the foreign device")
                    .isEqualTo(before);
            assertThat(Kernel.link(b, "ftmv0")).as("the tap where it is now").contains("\"mtu\":1500");
        }
    }

    @Test
    void noDeviceAtTheMovedTapsOldIndexIsTheDocumentedIllegalState() throws Exception {
        TapDevice tap = TapDevice.tap("ftmv1").open(a);
        int index;
        try {
            tap.up();
            index = tap.ifindex();
            moveTo(b, "ftmv1");
            assertRefused(tap::up);
            assertRefused(tap::down);
            assertRefused(() -> tap.setMtu(1400));
            assertRefused(tap::link);
            assertRefused(tap::ifindex);
            moveTo(a, b, "ftmv1");
            assertThat(tap.ifindex())
                    .as("back home, under the index it has now")
                    .isPositive();
            index = tap.ifindex();
            tap.setMtu(1400);
            assertThat(Kernel.link(a, "ftmv1")).contains("\"mtu\":1400");
        } finally {
            tap.close();
        }
        assertThat(tap.ifindex()).as("after close: the index last proven").isEqualTo(index);
    }

    @Test
    void aTapDeletedUnderItsFdIsTheDocumentedIllegalState() throws Exception {
        try (TapDevice tap = TapDevice.tap("ftmv2").open(a)) {
            tap.up();
            Kernel.ip(a, "link", "del", "dev", "ftmv2");
            assertRefused(tap::down);
            assertRefused(tap::link);
            assertRefused(tap::ifindex);
        }
    }

    private void assertRefused(Executable call) {
        assertThatThrownBy(call::execute)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ftmv")
                .hasMessageContaining("no longer in " + a);
    }

    private void moveTo(NetNamespace to, String dev) throws Exception {
        moveTo(to, a, dev);
    }

    /** Moves {@code dev} from {@code from} to {@code to} with iproute2, by the pid of a process there. */
    private static void moveTo(NetNamespace to, NetNamespace from, String dev) throws Exception {
        Process p = to.start(new ProcessBuilder("sleep", "60"));
        try {
            Kernel.ip(from, "link", "set", "dev", dev, "netns", Long.toString(p.pid()));
        } finally {
            p.destroy();
            p.waitFor();
        }
    }
}
