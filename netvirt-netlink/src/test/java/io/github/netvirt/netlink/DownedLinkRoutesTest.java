package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A down and up ({@link DownedLink}) gives back the routes the kernel deleted as they were: every
 * {@code ip -j -d route} field of them, metrics and IPv6 {@code pref} included.
 */
@RequiresRoot
class DownedLinkRoutesTest extends OneNamespace {
    final String dev = TestNames.unique("rt");

    @BeforeEach
    void setUp() {
        h.linkAdd(LinkSpec.veth(dev, TestNames.unique("rt")).up().peerUp());
        h.addrAdd(dev, IpPrefix.parse("10.0.1.1/24"));
        h.addrAdd(AddressSpec.of(dev, IpPrefix.parse("fd00::1/64")).noDad());
    }

    /** {@code ip -j -d route show table all} of the routes through {@code dev} that are not the kernel's, sorted. */
    List<String> routes() {
        List<String> out = new ArrayList<>();
        for (String family : List.of("-4", "-6")) {
            for (Map<String, Object> r : IpIn.json(ns, family, "-d", "route", "show", "table", "all", "dev", dev)) {
                if (!"kernel".equals(r.get("protocol")) && !"local".equals(r.get("type"))) {
                    out.add(new java.util.TreeMap<>(r).toString());
                }
            }
        }
        out.sort(null);
        return out;
    }

    void downUp() {
        Link link = h.linkGet(dev).orElseThrow();
        DownedLink d = DownedLink.setDown(h, link);
        assertThat(routes()).isEmpty();
        d.setUp(h);
    }

    /** An IPv6 route's {@code expires} comes back, less the time the device was down; not made permanent. */
    @Test
    void anExpiringRouteStillExpires() {
        IpIn.run(ns, "ip", "-6", "route", "add", "fd09::/64", "dev", dev, "expires", "300");
        downUp();
        List<Map<String, Object>> r = IpIn.json(ns, "-6", "route", "show", "fd09::/64");
        assertThat(r).hasSize(1);
        assertThat(r.get(0)).containsKey("expires");
        assertThat(IpIn.num(r.get(0).get("expires"))).isBetween(1, 300);
    }

    /** A route with several next hops, all through the device (which the kernel deletes), comes back as it was. */
    @Test
    void multipathRoutesComeBack() {
        IpIn.run(
                ns,
                "ip",
                "route",
                "add",
                "10.9.0.0/16",
                "metric",
                "5",
                "nexthop",
                "via",
                "10.0.1.254",
                "dev",
                dev,
                "weight",
                "3",
                "nexthop",
                "via",
                "10.0.1.253",
                "dev",
                dev,
                "onlink");
        IpIn.run(
                ns,
                "ip",
                "-6",
                "route",
                "add",
                "fd09::/64",
                "nexthop",
                "via",
                "fd00::2",
                "dev",
                dev,
                "weight",
                "2",
                "nexthop",
                "via",
                "fd00::3",
                "dev",
                dev);
        List<Map<String, Object>> v4 = IpIn.json(ns, "-d", "route", "show", "10.9.0.0/16");
        List<Map<String, Object>> v6 = IpIn.json(ns, "-6", "-d", "route", "show", "fd09::/64");
        assertThat(v4.toString()).contains("weight=3", "onlink");
        assertThat(v6.toString()).contains("weight=2", "fd00::3");
        Route decoded = h.routeList().stream()
                .filter(r -> r.destination().equals(IpPrefix.parse("10.9.0.0/16")))
                .findFirst()
                .orElseThrow();
        assertThat(decoded.nexthops()).hasSize(2);

        downUp();

        assertThat(IpIn.json(ns, "-d", "route", "show", "10.9.0.0/16")).isEqualTo(v4);
        assertThat(IpIn.json(ns, "-6", "-d", "route", "show", "fd09::/64")).isEqualTo(v6);
    }

    @Test
    void metricsAndPrefComeBack() {
        h.routeAdd(RouteSpec.to(IpPrefix.parse("10.6.0.0/16"))
                .via(IpPrefix.parseAddress("10.0.1.254"))
                .mtu(1400));
        IpIn.run(
                ns,
                "ip",
                "route",
                "add",
                "10.7.0.0/16",
                "via",
                "10.0.1.254",
                "dev",
                dev,
                "table",
                "100",
                "metric",
                "50",
                "src",
                "10.0.1.1",
                "mtu",
                "lock",
                "1300",
                "advmss",
                "1260",
                "hoplimit",
                "9",
                "initcwnd",
                "20",
                "initrwnd",
                "30",
                "rtt",
                "100ms",
                "rttvar",
                "50ms",
                "reordering",
                "5",
                "window",
                "65535",
                "ssthresh",
                "1000",
                "cwnd",
                "12",
                "features",
                "ecn",
                "quickack",
                "1",
                "fastopen_no_cookie",
                "1",
                "rto_min",
                "50ms",
                "congctl",
                "reno");
        IpIn.run(
                ns,
                "ip",
                "-6",
                "route",
                "add",
                "fd07::/64",
                "via",
                "fd00::2",
                "dev",
                dev,
                "metric",
                "77",
                "pref",
                "high",
                "mtu",
                "1350",
                "hoplimit",
                "7");
        IpIn.run(ns, "ip", "-6", "route", "add", "fd08::/64", "dev", dev, "pref", "low", "advmss", "1200");
        IpIn.run(ns, "ip", "route", "add", "broadcast", "10.12.0.255", "dev", dev, "table", "100");
        IpIn.run(ns, "ip", "route", "add", "multicast", "224.1.0.0/16", "dev", dev, "table", "100");
        IpIn.run(ns, "ip", "route", "add", "10.13.0.0/16", "dev", dev, "realm", "5");
        List<String> before = routes();
        assertThat(before).hasSize(7);
        assertThat(String.join("\n", before)).contains("type=broadcast", "type=multicast", "flow={to=5}");
        assertThat(String.join("\n", before)).contains("mtu=1400", "pref=high", "pref=low", "congestion=reno");

        downUp();

        assertThat(routes()).containsExactlyElementsOf(before);
        // ip -j does not show a metric's lock
        assertThat(IpIn.run(ns, "ip", "route", "show", "table", "100")).contains("mtu lock 1300");
    }

    /**
     * Two IPv4 routes of one destination and metric, kept apart by their TOS, come back as two, each
     * with its TOS. Failed before: one came back, with TOS 0 (a route for every TOS).
     */
    @Test
    void routesKeptApartByTheirTosComeBackApart() {
        IpIn.run(ns, "ip", "route", "add", "10.16.0.0/16", "via", "10.0.1.254", "dev", dev, "tos", "0x10");
        IpIn.run(ns, "ip", "route", "add", "10.16.0.0/16", "via", "10.0.1.253", "dev", dev);
        List<String> before = routes();
        assertThat(before).hasSize(2);
        assertThat(String.join("\n", before)).contains("tos=0x10");

        downUp();

        assertThat(routes()).containsExactlyElementsOf(before);
    }

    /**
     * An IPv4 route through an IPv6 gateway ({@code via inet6}, RTA_VIA), alone and as a next hop,
     * comes back through that gateway, not as a route to the device itself (on-link, no gateway).
     */
    @Test
    void aGatewayOfTheOtherFamilyComesBack() {
        IpIn.run(ns, "ip", "route", "add", "10.14.0.0/16", "via", "inet6", "fd00::2", "dev", dev);
        IpIn.run(
                ns,
                "ip",
                "route",
                "add",
                "10.15.0.0/16",
                "nexthop",
                "via",
                "inet6",
                "fd00::3",
                "dev",
                dev,
                "nexthop",
                "via",
                "10.0.1.254",
                "dev",
                dev);
        List<String> before = routes();
        List<Map<String, Object>> multipath = IpIn.json(ns, "-d", "route", "show", "10.15.0.0/16");
        assertThat(String.join("\n", before)).contains("family=inet6", "host=fd00::2");
        assertThat(multipath.toString()).contains("family=inet6", "host=fd00::3");
        Route decoded = h.routeList().stream()
                .filter(r -> r.destination().equals(IpPrefix.parse("10.14.0.0/16")))
                .findFirst()
                .orElseThrow();
        assertThat(decoded.gateway()).isEqualTo(IpPrefix.parseAddress("fd00::2"));

        downUp();

        assertThat(routes()).containsExactlyElementsOf(before);
        assertThat(IpIn.json(ns, "-d", "route", "show", "10.15.0.0/16")).isEqualTo(multipath);
    }
}
