package io.github.netvirt.tap.impair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netlink.Sysctls;
import io.github.netvirt.netns.ExecResult;
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

    @Test
    @RequiresRoot
    void twoHandlesOnOneNamespaceWithOneDeviceNameAreRefusedBeforeAnythingIsMade() {
        try (NetNamespace a = NetNamespace.ephemeral();
                NetNamespace same = a.reopen();
                NetlinkHandle h = NetlinkHandle.open(a)) {
            assertThatThrownBy(() -> TapRelay.open(
                            TapRelay.Side.of(a, "gNrl"),
                            TapRelay.Side.of(same, "gNrl"),
                            0,
                            Impairment.NONE,
                            Impairment.NONE,
                            1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("the same device");
            assertThat(h.linkIndexes()).containsExactly(1);
        }
    }

    /**
     * Between the tap's creation and its IPv6 switch-off, the tap is renamed and another device
     * takes its old name: the sysctl written is the tap's, under its new name, never the other's.
     */
    @Test
    @RequiresRoot
    void ipv6IsDisabledOnTheTapThroughARenameNotOnTheDeviceThatTookItsName() throws Exception {
        try (NetNamespace a = NetNamespace.ephemeral();
                NetNamespace b = NetNamespace.ephemeral()) {
            ip(a, "link", "add", "gNfor", "type", "veth", "peer", "name", "gNforp");
            Sysctls sysctls = Sysctls.of(a);
            assertThat(sysctls.ipv6Disabled("gNfor")).isFalse();
            TapRelay.afterOpen = tap -> {
                if (tap.namespace() == a) {
                    ip(a, "link", "set", "dev", tap.name(), "name", "gNmoved");
                    ip(a, "link", "set", "dev", "gNfor", "name", tap.name());
                }
            };
            try (TapRelay r = TapRelay.open(
                    TapRelay.Side.of(a, "gNtap"),
                    TapRelay.Side.of(b, "gNtap"),
                    0,
                    Impairment.NONE,
                    Impairment.NONE,
                    1)) {
                assertThat(sysctls.ipv6Disabled("gNtap"))
                        .as("the foreign device that took the tap's name")
                        .isFalse();
                assertThat(sysctls.ipv6Disabled("gNmoved"))
                        .as("the tap, renamed")
                        .isTrue();
                try (NetlinkHandle h = NetlinkHandle.open(a)) {
                    assertThat(h.linkIndex("gNmoved")).isEqualTo(r.indexA());
                }
            } finally {
                TapRelay.afterOpen = tap -> {};
            }
        }
    }

    private static void ip(NetNamespace ns, String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "ip";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            ExecResult r = ns.exec(cmd);
            assertThat(r.exitCode())
                    .as("ip %s: %s", String.join(" ", args), r.stderr())
                    .isZero();
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
