package io.github.netvirt.core;

import static io.github.netvirt.core.ValidationTest.assertReported;
import static io.github.netvirt.core.ValidationTest.problems;

import org.junit.jupiter.api.Test;

/**
 * quiet() turns IPv6 off on a tap: besides an IPv6 address, an IPv6 route out of it (EACCES, "IPv6 is
 * disabled on nexthop device") and a vxlan over it with an IPv6 remote, group or local address (EPERM,
 * "IPv6 support disabled by administrator") are refused before anything changes.
 */
class QuietTapIpv6ValidationTest {

    @Test
    void anIpv6RouteOutOfAQuietTapIsRefused() {
        assertReported(
                problems(() -> Topology.create().ns("a").tap("t0").quiet().route("2001:db8:7::/64", null, "t0")),
                "namespace a: route(\"2001:db8:7::/64\", null, \"t0\"): device t0 is a quiet tap: quiet() turns"
                        + " IPv6 off on it (the kernel would refuse the route: EACCES)");
    }

    @Test
    void aVxlanWithAnIpv6AddressOverAQuietTapIsRefused() {
        for (String kind : new String[] {"remote", "group", "local"}) {
            assertReported(
                    problems(() -> {
                        TopologyBuilder b = Topology.create()
                                .ns("a")
                                .tap("t0")
                                .quiet()
                                .vxlan("vx", 9)
                                .lower("t0");
                        return switch (kind) {
                            case "remote" -> b.remote("2001:db8::2");
                            case "group" -> b.group("ff05::6");
                            default -> b.local("2001:db8::5").remote("2001:db8::2");
                        };
                    }),
                    "device a/vx: IPv6 over t0: t0 is a quiet tap: quiet() turns IPv6 off on it (the kernel would"
                            + " refuse the vxlan: EPERM)");
        }
    }

    @Test
    void ipv4OverAQuietTapPasses() {
        Topology.create()
                .ns("a")
                .tap("t0")
                .quiet()
                .addr("10.9.0.1/24")
                .route("10.8.0.0/16", null, "t0")
                .vxlan("vx", 9)
                .remote("10.9.0.2")
                .lower("t0")
                .spec();
    }
}
