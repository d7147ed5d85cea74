package io.github.netvirt.tap.impair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import org.junit.jupiter.api.Test;

/** A relay's TAPs where its sides say: a name or template, and an ifindex the kernel is asked for. */
class TapRelaySideTest {

    @Test
    void aNullIsRefusedNamingIt() {
        assertThatThrownBy(() -> new TapRelay.Side(null, "rl0", 0))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("ns");
        assertThatThrownBy(() -> TapRelay.Side.of(null, "rl0"))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("ns");
    }

    @Test
    @RequiresRoot
    void eachTapHasTheIfindexItsSideAsksFor() {
        try (NetNamespace a = NetNamespace.ephemeral();
                NetNamespace b = NetNamespace.ephemeral();
                TapRelay r = TapRelay.open(
                        new TapRelay.Side(a, "rl%d", 7),
                        new TapRelay.Side(b, "rl%d", 9),
                        0,
                        Impairment.NONE,
                        Impairment.NONE,
                        1);
                NetlinkHandle ha = NetlinkHandle.open(a);
                NetlinkHandle hb = NetlinkHandle.open(b)) {
            assertThat(r.indexA()).isEqualTo(7);
            assertThat(r.indexB()).isEqualTo(9);
            assertThat(ha.linkGet(7).orElseThrow().name()).isEqualTo(r.deviceA());
            assertThat(hb.linkGet(9).orElseThrow().name()).isEqualTo(r.deviceB());
        }
    }

    @Test
    @RequiresRoot
    void twoSidesAskingForOneIfindexInOneNamespaceAreRefusedBeforeAnythingIsMade() {
        try (NetNamespace a = NetNamespace.ephemeral();
                NetlinkHandle h = NetlinkHandle.open(a)) {
            assertThatThrownBy(() -> TapRelay.open(
                            new TapRelay.Side(a, "rla", 7),
                            new TapRelay.Side(a, "rlb", 7),
                            0,
                            Impairment.NONE,
                            Impairment.NONE,
                            1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("the same device");
            assertThatThrownBy(() -> new TapRelay.Side(a, "rla", -1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("ifindex must be >= 0: -1");
            assertThat(h.linkIndexes()).containsExactly(1);
        }
    }
}
