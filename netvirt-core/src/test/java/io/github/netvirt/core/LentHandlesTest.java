package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import io.github.netvirt.tap.TapDevice;
import org.junit.jupiter.api.Test;

/** The handles a live topology gives out belong to it: closing them does nothing, its close still removes everything. */
@RequiresRoot
class LentHandlesTest {

    @Test
    void closingTheHandlesATopologyGivesOutLeavesItWorkingAndItsCloseStillCleansUp() throws Exception {
        String p = TestNames.unique("vc");
        NetNamespace a;
        TapDevice tap;
        NetlinkHandle netlink;
        try (Topology t = Topology.create()
                .prefix(p)
                .named()
                .ns("a")
                .veth("eth0", "b", "eth0")
                .addr("10.66.0.1/24")
                .tap("tap0")
                .addr("10.66.1.1/24")
                .ns("b")
                .dev("eth0")
                .addr("10.66.0.2/24")
                .apply()) {
            a = t.namespace("a");
            tap = t.tap("a", "tap0");
            netlink = t.netlink("a");
            String kernelName = a.name().orElseThrow();
            a.close();
            tap.close();
            netlink.close();

            assertThat(t.namespace("a")).isSameAs(a);
            assertThat(a.isOpen()).isTrue();
            assertThat(tap.isOpen()).isTrue();
            assertThat(Ip.ok("-n", kernelName, "-j", "link", "show", "dev", "tap0"))
                    .contains("\"ifname\":\"tap0\"");
            assertThat(netlink.link("tap0").name()).isEqualTo("tap0");
            tap.up();
            assertThat(t.link("a", "tap0").isUp()).isTrue();
            assertThat(Tcp.echo(t.namespace("a"), t.namespace("b"), "10.66.0.2", 5600, "still here"))
                    .isEqualTo("still here");
            assertThatThrownBy(a::delete)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("lent");
            assertThat(NetNamespace.exists(kernelName)).isTrue();

            t.close();
            assertThat(a.isOpen()).isFalse();
            assertThat(tap.isOpen()).isFalse();
            assertThat(NetNamespace.list()).noneMatch(n -> n.startsWith(p));
        }
    }
}
