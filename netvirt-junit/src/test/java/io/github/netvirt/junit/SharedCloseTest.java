package io.github.netvirt.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.core.Topology;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A shared (static) network closed by a test through {@code topology().close()} while other scopes
 * still use it: a scope joining afterwards gets it rebuilt, as a Testcontainers container stopped
 * by hand is started again by the next {@code start()}; the network closes with its last scope.
 */
@RequiresRoot
class SharedCloseTest {
    @Test
    void aScopeJoiningASharedNetworkClosedThroughTopologyCloseGetsItRebuilt() throws Exception {
        TestNetwork net = TwoHosts.of("a", "b", "10.7.9");
        String base = TestNames.unique("ju") + "-";
        int[] n = {0};
        net.join("first", () -> base + (++n[0]) + "-", true, true);
        Topology old = net.topology();
        long oldCookie = net.namespace("a").cookie();
        try {
            old.close(); // what a test of the first scope does
            assertThatThrownBy(() -> net.down("a", "eth0")).hasMessageContaining("topology().close()");

            net.join("second", () -> base + (++n[0]) + "-", true, true);

            assertThat(net.isRunning()).as("rebuilt for the scope that joined").isTrue();
            assertThat(net.topology()).isNotSameAs(old);
            NetNamespace a = net.namespace("a");
            assertThat(a.cookie()).as("a new namespace a").isNotEqualTo(oldCookie);
            assertThat(Reach.tcp(a, net.namespace("b"), "10.7.9.2")).isTrue();
            Map<String, String> names = net.kernelNames();
            assertThat(names.get("a")).isEqualTo(base + "2-a");
            assertThat(NetNamespace.exists(names.get("a"))).isTrue();

            assertThat(net.leave("first", false)).isEmpty();
            assertThat(net.isRunning()).as("the second scope still uses it").isTrue();
            assertThat(net.leave("second", false)).isEmpty();
            assertThat(net.isRunning()).as("closed with the last scope").isFalse();
            assertThat(NetNamespace.exists(names.get("a"))).isFalse();
        } finally {
            net.close();
        }
    }

    @Test
    void aScopeJoiningAnInstanceNetworkInUseIsStillRefusedEvenWhenItWasClosed() {
        TestNetwork net = TwoHosts.of("a", "b", "10.7.10");
        String base = TestNames.unique("ju") + "-";
        net.join("first", () -> base, false, false);
        try {
            net.topology().close();
            assertThatThrownBy(() -> net.join("second", () -> base + "x-", false, false))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already in use by [first]");
            assertThat(net.leave("first", false)).isEqualTo(List.of());
        } finally {
            net.close();
        }
    }
}
