package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.Json;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * removeRoute(...) of a route the kernel lists among others of its destination, metric and table that
 * someone added ({@code ip route prepend/append}, another TOS): the change deletes the topology's,
 * exactly, and leaves theirs; it refuses only when none is the topology's.
 */
@RequiresRoot
class RemoveRouteAmongOthersTest {
    private final String p = TestNames.unique("hB") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    private Topology twoLinks() {
        return Topology.create()
                .prefix(p)
                .ns("a")
                .veth("e0", "b", "e0")
                .addr("10.0.0.1/24")
                .addr("fd00::1/64")
                .veth("e1", "c", "e0")
                .addr("10.1.0.1/24")
                .addr("fd01::1/64")
                .route("10.9.0.0/16", "10.0.0.2")
                .metric(5)
                .route("fd09::/64", "fd00::2")
                .metric(5)
                .ns("b")
                .dev("e0")
                .addr("10.0.0.2/24")
                .addr("fd00::2/64")
                .ns("c")
                .dev("e0")
                .addr("10.1.0.2/24")
                .addr("fd01::2/64")
                .apply();
    }

    /**
     * {@code ip -j [-6] route show DST} of namespace a, one line per route (per next hop), in the
     * kernel's order ({@code ip} leaves protocol boot out).
     */
    private List<String> routes(String family, String dst) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) Json.parse(Ip.ok("-n", p + "a", "-j", family, "route", "show", dst))) {
            Map<?, ?> r = (Map<?, ?>) o;
            String rest = " metric " + r.get("metric") + (r.containsKey("tos") ? " tos " + r.get("tos") : "")
                    + " proto " + (r.containsKey("protocol") ? r.get("protocol") : "boot");
            if (r.containsKey("nexthops")) {
                for (Object n : (List<?>) r.get("nexthops")) {
                    Map<?, ?> h = (Map<?, ?>) n;
                    out.add("nexthop via " + h.get("gateway") + " dev " + h.get("dev") + rest);
                }
            } else {
                out.add((r.containsKey("gateway") ? "via " + r.get("gateway") + " " : "") + "dev " + r.get("dev")
                        + rest);
            }
        }
        return out;
    }

    @Test
    void theTopologysRouteIsDeletedAndTheirsAreLeft() throws Exception {
        try (Topology t = twoLinks()) {
            String a = p + "a";
            // listed before the topology's: another TOS, and routes of TOS 0 put in front of it
            Ip.ok("-n", a, "route", "append", "10.9.0.0/16", "tos", "0x10", "via", "10.1.0.2", "metric", "5");
            Ip.ok("-n", a, "route", "prepend", "10.9.0.0/16", "dev", "e1", "metric", "5");
            // alike but in its protocol: a delete without one would take this, the first
            Ip.ok("-n", a, "route", "prepend", "10.9.0.0/16", "via", "10.0.0.2", "metric", "5", "proto", "static");
            Ip.ok("-n", a, "route", "append", "10.9.0.0/16", "via", "10.1.0.2", "metric", "5");
            // IPv6 lists routes of one destination and metric with gateways as one, with several next hops
            Ip.ok("-n", a, "-6", "route", "append", "fd09::/64", "via", "fd01::2", "metric", "5");
            Ip.ok("-n", a, "-6", "route", "append", "fd09::/64", "dev", "e1", "metric", "5");
            List<String> v4 = routes("-4", "10.9.0.0/16");
            assertThat(v4).contains("via 10.0.0.2 dev e0 metric 5 proto boot");
            assertThat(v4.get(v4.size() - 2)).isEqualTo("via 10.0.0.2 dev e0 metric 5 proto boot");
            assertThat(routes("-6", "fd09::/64")).contains("nexthop via fd00::2 dev e0 metric 5 proto boot");

            t.change()
                    .ns("a")
                    .removeRoute("10.9.0.0/16")
                    .metric(5)
                    .removeRoute("fd09::/64")
                    .metric(5)
                    .apply();

            assertThat(routes("-4", "10.9.0.0/16"))
                    .containsExactly(
                            "via 10.1.0.2 dev e1 metric 5 tos 0x10 proto boot",
                            "via 10.0.0.2 dev e0 metric 5 proto static",
                            "dev e1 metric 5 proto boot",
                            "via 10.1.0.2 dev e1 metric 5 proto boot");
            assertThat(routes("-6", "fd09::/64"))
                    .containsExactlyInAnyOrder("via fd01::2 dev e1 metric 5 proto boot", "dev e1 metric 5 proto boot");
            assertThat(t.spec().namespace("a").routes()).isEmpty();
        }
    }

    @Test
    void aRouteReplacedIsStillRefusedWhateverElseIsListed() throws Exception {
        try (Topology t = twoLinks()) {
            String a = p + "a";
            Ip.ok("-n", a, "route", "append", "10.9.0.0/16", "tos", "0x10", "via", "10.0.0.2", "metric", "5");
            Ip.ok("-n", a, "route", "append", "10.9.0.0/16", "dev", "e1", "metric", "5");
            // replaces the first route of TOS 0: the topology's
            Ip.ok("-n", a, "route", "replace", "10.9.0.0/16", "via", "10.1.0.2", "metric", "5");
            List<String> before = routes("-4", "10.9.0.0/16");
            assertThat(before).doesNotContain("via 10.0.0.2 dev e0 metric 5 proto boot");
            assertThatThrownBy(() -> t.change()
                            .ns("a")
                            .removeRoute("10.9.0.0/16")
                            .metric(5)
                            .apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("is not the one the topology added");
            assertThat(routes("-4", "10.9.0.0/16")).isEqualTo(before);
        }
    }
}
