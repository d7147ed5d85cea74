package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.core.Topology;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Reachability#pingAll} probes the hosts' global IPv6 addresses as it probes their IPv4 ones:
 * of an IPv6-only network it probed nothing, and reported every pair reachable, a partition in force
 * or not ("all 0 probes answered").
 */
@RequiresRoot
class PingAllOverIpv6Test {

    @Test
    void aPartitionOfAnIpv6OnlyNetworkIsReported() {
        try (Topology t = Topology.create()
                .ephemeral()
                .ns("a")
                .veth("eth0", "b", "eth0")
                .addr("fd74::1/64")
                .ns("b")
                .dev("eth0")
                .addr("fd74::2/64")
                .apply()) {
            Map<String, NetNamespace> hosts = Map.of("a", t.namespace("a"), "b", t.namespace("b"));
            ReachabilityReport open = Reachability.pingAll(hosts, Duration.ofSeconds(1));
            assertThat(open.probes()).hasSize(2);
            assertThat(open.reachable("a", "b")).as(open.toString()).isTrue();
            try (Partition p = Partition.between(List.of(t.namespace("a")), List.of(t.namespace("b")))) {
                ReachabilityReport cut = Reachability.pingAll(hosts, Duration.ofMillis(500));
                assertThat(cut.allReachable()).as(cut.toString()).isFalse();
            }
        }
    }
}
