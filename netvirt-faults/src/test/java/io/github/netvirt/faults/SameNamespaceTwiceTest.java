package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two handles on one namespace (a {@link NetNamespace#reopen()}, an {@link NetNamespace#open} of its
 * name) are the same host: a one-way loss from it to itself, or a partition with it on both sides,
 * is refused before anything is installed.
 */
@RequiresRoot
class SameNamespaceTwiceTest {
    private final String host = TestNames.unique("fx");
    private NetNamespace ns;

    @BeforeEach
    void build() {
        ns = NetNamespace.create(host);
        Ip.ok("-n", host, "link", "add", "fx0", "type", "veth", "peer", "name", "fx1");
        Ip.ok("-n", host, "addr", "add", "10.89.0.1/24", "dev", "fx0");
        Ip.ok("-n", host, "link", "set", "fx0", "up");
        Ip.ok("-n", host, "link", "set", "fx1", "up");
    }

    @AfterEach
    void remove() {
        ns.close();
        if (NetNamespace.exists(host)) {
            NetNamespace.delete(host);
        }
    }

    private String ruleset() {
        return Ip.exec(List.of("ip", "netns", "exec", host, "nft", "list", "ruleset"))
                .ok()
                .out();
    }

    @Test
    void aOneWayLossFromAHostToItselfIsRefused() {
        String before = ruleset();
        try (NetNamespace again = ns.reopen()) {
            assertThatThrownBy(() -> OneWayLoss.drop(ns, again))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("same namespace");
        }
        assertThat(ruleset()).isEqualTo(before);
    }

    @Test
    void aPartitionWithAHostOnBothSidesIsRefused() {
        String before = ruleset();
        try (NetNamespace byName = NetNamespace.open(host)) {
            assertThatThrownBy(() -> Partition.between(List.of(ns), List.of(byName)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("both sides");
        }
        assertThat(ruleset()).isEqualTo(before);
    }
}
