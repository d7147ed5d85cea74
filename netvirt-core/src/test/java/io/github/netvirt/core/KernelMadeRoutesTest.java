package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

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
 * The layouts validation takes because the kernel does (KernelMadeRoutesValidationTest), applied, and
 * read back with {@code ip -j}: one address on a device of each of two segments, removed from one; a
 * route to the zero subnet the kernel made no route for; an IPv6 /0's kernel-made default route.
 */
@RequiresRoot
class KernelMadeRoutesTest {
    private final String p = TestNames.unique("fg") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    /** The addresses of {@code dev} in namespace {@code ns}, as {@code 10.0.0.1/32}, IPv6 link-local ones of the kernel left out. */
    private List<String> addresses(String ns, String dev) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> l : Json.array(Ip.ok("-j", "-n", p + ns, "addr", "show", "dev", dev))) {
            for (Object o : (List<?>) l.get("addr_info")) {
                Map<?, ?> a = (Map<?, ?>) o;
                String s = a.get("local") + "/" + a.get("prefixlen");
                if (!s.startsWith("fe80::") || s.startsWith("fe80::1/")) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    /** The routes of {@code ns}'s main table, as {@code dst dev DEV [via GW] [metric M] [proto P]}. */
    private List<String> routes(String ns, String family) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> r : Json.array(Ip.ok("-j", "-n", p + ns, family, "route", "show", "table", "main"))) {
            if (String.valueOf(r.get("dst")).startsWith("fe80::")) {
                continue;
            }
            out.add(r.get("dst") + " dev " + r.get("dev")
                    + (r.get("gateway") != null ? " via " + r.get("gateway") : "")
                    + (r.get("metric") != null ? " metric " + r.get("metric") : "")
                    + (r.get("protocol") != null ? " proto " + r.get("protocol") : ""));
        }
        return out;
    }

    @Test
    void aRouterWithOneAddressOnEachOfItsLinksKeepsTheOtherLinksWhenOneIsRemoved() {
        try (Topology t = Topology.create()
                .prefix(p)
                .ns("h1")
                .ns("h2")
                .ns("r")
                .veth("p1", "h1", "eth0")
                .addr("fe80::1/64")
                .addr("10.0.0.1/32")
                .addr("fd00::1/64")
                .veth("p2", "h2", "eth0")
                .addr("fe80::1/64")
                .addr("10.0.0.1/32")
                .addr("fd00::1/64")
                .apply()) {
            for (String dev : new String[] {"p1", "p2"}) {
                assertThat(addresses("r", dev)).containsExactlyInAnyOrder("10.0.0.1/32", "fd00::1/64", "fe80::1/64");
            }
            // one prefix route to fd00::/64 through each
            assertThat(routes("r", "-6"))
                    .containsExactlyInAnyOrder(
                            "fd00::/64 dev p1 metric 256 proto kernel", "fd00::/64 dev p2 metric 256 proto kernel");
            t.change()
                    .ns("r")
                    .dev("p2")
                    .removeAddr("fe80::1/64")
                    .removeAddr("10.0.0.1/32")
                    .removeAddr("fd00::1/64")
                    .apply();
            assertThat(addresses("r", "p1")).containsExactlyInAnyOrder("10.0.0.1/32", "fd00::1/64", "fe80::1/64");
            assertThat(addresses("r", "p2")).isEmpty();
            assertThat(routes("r", "-6")).containsExactly("fd00::/64 dev p1 metric 256 proto kernel");
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    @Test
    void theKernelMakesNoRouteToAZeroSubnetAndEveryIpv6One() {
        try (Topology t = Topology.create()
                .prefix(p)
                .ns("b")
                .ns("a")
                .veth("e0", "b", "e1")
                .addr("10.1.0.1/4")
                .addr("fd00::1/0")
                .route("0.0.0.0/4", null, "e0")
                .route("2001:db8::/32", "fd00::5")
                .apply()) {
            assertThat(routes("a", "-4")).containsExactly("0.0.0.0/4 dev e0");
            assertThat(routes("a", "-6"))
                    .containsExactlyInAnyOrder(
                            "2001:db8::/32 dev e0 via fd00::5 metric 1024", "default dev e0 metric 256 proto kernel");
        }
    }
}
