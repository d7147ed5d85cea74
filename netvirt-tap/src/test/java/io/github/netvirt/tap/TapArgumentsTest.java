package io.github.netvirt.tap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.Names;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Argument checks and the ifreq codec: no kernel, no root. */
class TapArgumentsTest {
    @Test
    void badArgumentsAreRejectedBeforeTheKernelIsTouched() {
        assertThatThrownBy(() -> TapDevice.tap("tp-name-too-long"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("16 bytes")
                .hasMessageContaining("15");
        assertThatThrownBy(() -> TapDevice.tap("tp/0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'/'");
        assertThatThrownBy(() -> TapDevice.tap("tp%s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("%d");
        assertThatThrownBy(() -> TapDevice.tap("tp%d%d")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TapDevice.tap("tp0").owner(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TapDevice.tap("tp0").readTimeout(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TapDevice.tap("tp0").open(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aTimeoutLongerThanAReadCanWaitIsRefusedNotCut() {
        assertThatThrownBy(() -> TapDevice.tap("tp0").readTimeout(Duration.ofDays(10000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT240000H")
                .hasMessageContaining("zero waits forever");
        assertThatThrownBy(() -> TapDevice.timeoutMillis(
                        Duration.ofMillis(Integer.MAX_VALUE).plusNanos(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEmptyOrNullNameIsRefusedWithAClearMessage() {
        assertThatThrownBy(() -> TapDevice.tap(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the tap name is empty: give a name or a template such as tap%d, "
                        + "or use TapDevice.of(DeviceKind.TAP) for the kernel's default");
        assertThatThrownBy(() -> TapDevice.tun(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the tun name is null: ");
        assertThat(TapDevice.of(DeviceKind.TAP)).isNotNull();
    }

    @Test
    void aTapsMaximumMtuIsTheKernels() {
        assertThat(DeviceKind.TAP.maxMtu()).isEqualTo(65521);
        assertThat(DeviceKind.TUN.maxMtu()).isEqualTo(65535);
    }

    @Test
    void namesThatLinuxAcceptsPass() {
        for (String ok : new String[] {"", "tap0", "tap%d", "a-b_c.d", "tp-exactly-15by"}) {
            Names.checkInterfaceTemplate(ok);
        }
        assertThatThrownBy(() -> Names.checkInterfaceTemplate("..")).hasMessageContaining("reserved");
        assertThatThrownBy(() -> Names.checkInterfaceTemplate("tp 0")).hasMessageContaining("space");
        assertThatThrownBy(() -> Names.checkInterfaceTemplate("tp:0")).hasMessageContaining("':'");
        assertThatThrownBy(() -> Names.checkInterfaceTemplate("tp\t0")).hasMessageContaining("U+0009");
    }

    @Test
    void ifreqHoldsTheNameThenTheFlagsAtOffset16() {
        byte[] req = Ifreq.encode("tap%d", 0x1002);
        assertThat(req).hasSize(40);
        assertThat(new String(req, 0, 5)).isEqualTo("tap%d");
        assertThat(req[5]).isZero();
        assertThat(req[16]).isEqualTo((byte) 0x02);
        assertThat(req[17]).isEqualTo((byte) 0x10);
        assertThat(Ifreq.flags(req)).isEqualTo(0x1002);
        req[3] = '7';
        req[4] = 0;
        assertThat(Ifreq.name(req)).isEqualTo("tap7");
    }

    @Test
    void timeoutsRoundUpToAMillisecondAndZeroMeansForever() {
        assertThat(TapDevice.timeoutMillis(Duration.ZERO)).isZero();
        assertThat(TapDevice.timeoutMillis(Duration.ofNanos(1))).isEqualTo(1);
        assertThat(TapDevice.timeoutMillis(Duration.ofMillis(Integer.MAX_VALUE)))
                .isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void kindsKnowTheirMinimumFrame() {
        assertThat(DeviceKind.TAP.minFrameLength()).isEqualTo(14);
        assertThat(DeviceKind.TUN.minFrameLength()).isEqualTo(1);
        assertThat(DeviceKind.TAP.defaultTemplate()).isEqualTo("tap%d");
    }
}
