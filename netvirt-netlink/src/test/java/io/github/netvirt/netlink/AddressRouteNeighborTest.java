package io.github.netvirt.netlink;

import static io.github.netvirt.netlink.IpIn.num;
import static io.github.netvirt.netlink.Refused.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.testing.Json;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Addresses, routes, neighbours and FDB entries, read back through dumps and cross-checked with {@code ip -j}. */
@RequiresRoot
class AddressRouteNeighborTest extends OneNamespace {
    final String br = TestNames.unique("nl");
    final String port = TestNames.unique("nl");

    @BeforeEach
    void setUp() {
        h.linkAdd(LinkSpec.bridge(br).up());
        h.linkAdd(LinkSpec.veth(port, TestNames.unique("nl")).master(br).up().peerUp());
    }

    static InetAddress ip(String s) {
        return IpPrefix.parseAddress(s);
    }

    /** "ADDR/LEN[ peer P]" of every address on {@code link} as ip shows it. */
    @SuppressWarnings("unchecked")
    List<String> ipAddrs(String link) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> a : (List<Map<String, Object>>)
                IpIn.json(ns, "addr", "show", "dev", link).get(0).get("addr_info")) {
            out.add((String) a.get("local") + "/" + a.get("prefixlen")
                    + (a.containsKey("address") ? " peer " + (String) a.get("address") : ""));
        }
        return out;
    }

    List<String> ourAddrs(String link) {
        List<String> out = new ArrayList<>();
        for (Address a : h.addrList(link)) {
            out.add(a.prefix() + (a.peer() != null ? " peer " + IpPrefix.format(a.peer()) : ""));
        }
        return out;
    }

    @Test
    void addresses() {
        h.addrAdd(br, IpPrefix.parse("10.0.1.1/24"));
        h.addrAdd(AddressSpec.of(br, IpPrefix.parse("10.0.2.1/24")).broadcast(ip("10.0.2.255")));
        h.addrAdd(AddressSpec.of(br, IpPrefix.parse("10.0.3.1/32")).peer(ip("10.0.3.2")));
        h.addrAdd(AddressSpec.of(br, IpPrefix.parse("fd00::1/64")).noDad());
        h.addrAdd(AddressSpec.of(br, IpPrefix.parse("10.0.4.1/24")).label(br + ":x"));
        assertThat(ourAddrs(br))
                .containsExactlyInAnyOrderElementsOf(ipAddrs(br))
                .contains("10.0.1.1/24", "10.0.3.1/32 peer 10.0.3.2", "fd00::1/64");
        Address brd = h.addrList(br).stream()
                .filter(a -> a.prefix().equals(IpPrefix.parse("10.0.2.1/24")))
                .findFirst()
                .orElseThrow();
        assertThat(brd.broadcast()).isEqualTo(ip("10.0.2.255"));
        Address labelled = h.addrList(br).stream()
                .filter(a -> a.prefix().equals(IpPrefix.parse("10.0.4.1/24")))
                .findFirst()
                .orElseThrow();
        assertThat(labelled.label()).isEqualTo(br + ":x");

        assertRefused(() -> h.addrAdd(br, IpPrefix.parse("10.0.1.1/24")), Errno.EEXIST);
        h.addrReplace(AddressSpec.of(br, IpPrefix.parse("10.0.1.1/24")));
        h.addrDel(br, IpPrefix.parse("10.0.2.1/24"));
        h.addrDel(AddressSpec.of(br, IpPrefix.parse("fd00::1/64")));
        assertThat(ourAddrs(br))
                .containsExactlyInAnyOrderElementsOf(ipAddrs(br))
                .doesNotContain("10.0.2.1/24", "fd00::1/64");
        assertRefused(() -> h.addrDel(br, IpPrefix.parse("10.0.2.1/24")), Errno.EADDRNOTAVAIL);
    }

    /** "DST via GW dev DEV table T metric M" of every route as ip shows it. */
    List<String> ipRoutes() {
        List<String> out = new ArrayList<>();
        for (String fam : List.of("-4", "-6")) {
            for (Map<String, Object> r : IpIn.json(ns, fam, "route", "show", "table", "all")) {
                if (r.containsKey("type") && !"unicast".equals(r.get("type"))) {
                    continue;
                }
                String dst = (String) r.get("dst");
                IpPrefix p = dst.equals("default")
                        ? IpPrefix.parse(fam.equals("-4") ? "0.0.0.0/0" : "::/0")
                        : IpPrefix.parse(dst);
                out.add(p + " via " + (r.containsKey("gateway") ? (String) r.get("gateway") : "-")
                        + " dev " + r.get("dev") + " table "
                        + String.valueOf(r.getOrDefault("table", "main")).replace("main", "254") + " metric "
                        + r.getOrDefault("metric", 0L));
            }
        }
        return out;
    }

    List<String> ourRoutes() {
        List<String> out = new ArrayList<>();
        for (Route r : h.routeList()) {
            if (r.type() != 1 || r.table() == 255) {
                continue;
            }
            String dev = h.linkGet(r.outputIndex()).map(Link::name).orElse("?");
            out.add(r.destination() + " via " + (r.gateway() == null ? "-" : IpPrefix.format(r.gateway())) + " dev "
                    + dev + " table " + Integer.toUnsignedString(r.table()) + " metric " + r.metric());
        }
        return out;
    }

    @Test
    void routes() {
        h.addrAdd(br, IpPrefix.parse("10.0.1.1/24"));
        h.addrAdd(AddressSpec.of(br, IpPrefix.parse("fd00::1/64")).noDad());
        InetAddress gw = ip("10.0.1.254");
        h.routeAdd(RouteSpec.to(IpPrefix.parse("10.1.0.0/16")).via(gw).dev(br));
        h.routeAdd(RouteSpec.defaultRoute(false).via(gw));
        h.routeAdd(RouteSpec.to(IpPrefix.parse("10.2.0.0/16"))
                .table(100)
                .via(gw)
                .metric(50)
                .dev(br));
        h.routeAdd(
                RouteSpec.to(IpPrefix.parse("10.5.0.0/16")).table(1000).via(gw).dev(br));
        h.routeAdd(RouteSpec.to(IpPrefix.parse("10.3.0.0/16"))
                .via(ip("192.168.99.1"))
                .dev(br)
                .onLink());
        h.routeAdd(RouteSpec.to(IpPrefix.parse("10.4.0.0/16")).dev(br).metric(7));
        h.routeAdd(RouteSpec.to(IpPrefix.parse("fd01::/64")).via(ip("fd00::2")).dev(br));
        h.routeAdd(RouteSpec.to(IpPrefix.parse("10.6.0.0/16")).via(gw).mtu(1400));
        assertThat(String.valueOf(
                        IpIn.json(ns, "route", "show", "10.6.0.0/16").get(0).get("metrics")))
                .isEqualTo("[{mtu=1400}]");
        assertThat(ourRoutes())
                .containsExactlyInAnyOrderElementsOf(ipRoutes())
                .contains(
                        "10.1.0.0/16 via 10.0.1.254 dev " + br + " table 254 metric 0",
                        "0.0.0.0/0 via 10.0.1.254 dev " + br + " table 254 metric 0",
                        "10.2.0.0/16 via 10.0.1.254 dev " + br + " table 100 metric 50",
                        "10.5.0.0/16 via 10.0.1.254 dev " + br + " table 1000 metric 0",
                        "10.4.0.0/16 via - dev " + br + " table 254 metric 7");
        Route onlink = h.routeList(254).stream()
                .filter(r -> r.destination().equals(IpPrefix.parse("10.3.0.0/16")))
                .findFirst()
                .orElseThrow();
        assertThat(onlink.isOnLink()).isTrue();
        assertThat(onlink.protocol()).isEqualTo(3);
        Route dev = h.routeList(254).stream()
                .filter(r -> r.destination().equals(IpPrefix.parse("10.4.0.0/16")))
                .findFirst()
                .orElseThrow();
        assertThat(dev.scope()).isEqualTo(253);

        assertRefused(
                () -> h.routeAdd(
                        RouteSpec.to(IpPrefix.parse("10.1.0.0/16")).via(gw).dev(br)),
                Errno.EEXIST);
        h.routeReplace(RouteSpec.to(IpPrefix.parse("10.1.0.0/16"))
                .via(ip("10.0.1.253"))
                .dev(br));
        h.routeDel(RouteSpec.to(IpPrefix.parse("10.4.0.0/16")).dev(br).metric(7));
        h.routeDel(RouteSpec.to(IpPrefix.parse("10.2.0.0/16")).table(100).metric(50));
        assertThat(ourRoutes())
                .containsExactlyInAnyOrderElementsOf(ipRoutes())
                .contains("10.1.0.0/16 via 10.0.1.253 dev " + br + " table 254 metric 0")
                .noneMatch(s -> s.startsWith("10.4.0.0/16") || s.startsWith("10.2.0.0/16"));
        assertRefused(
                () -> h.routeDel(RouteSpec.to(IpPrefix.parse("10.4.0.0/16")).dev(br)), Errno.ESRCH);
        // unreachable gateway: the kernel says why
        assertThatThrownBy(() ->
                        h.routeAdd(RouteSpec.to(IpPrefix.parse("10.9.0.0/16")).via(ip("172.16.0.1"))))
                .isInstanceOfSatisfying(
                        NetlinkException.class, e -> assertThat(e.getMessage()).contains("RTM_NEWROUTE"));
        assertThatThrownBy(() -> RouteSpec.to(IpPrefix.parse("10.9.0.1/16")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host bits");
    }

    /** A route added with a gateway and no device: its echo names the device the kernel chose, as {@code ip -j} lists it. */
    @Test
    void anEchoedRouteAddTellsTheDeviceTheKernelChose() {
        h.addrAdd(br, IpPrefix.parse("10.0.1.1/24"));
        h.addrAdd(AddressSpec.of(br, IpPrefix.parse("fd00::1/64")).noDad());
        List<Route> made = new ArrayList<>();
        h.routeAdd(RouteSpec.to(IpPrefix.parse("10.7.0.0/16")).via(ip("10.0.1.254")), made::add);
        h.batch()
                .routeAdd(RouteSpec.to(IpPrefix.parse("fd07::/64")).via(ip("fd00::2")), made::add)
                .execute();
        int index = h.linkIndex(br);
        assertThat(made).extracting(Route::outputIndex).containsExactly(index, index);
        assertThat(made).extracting(r -> r.destination().toString()).containsExactly("10.7.0.0/16", "fd07::/64");
        assertThat(IpIn.json(ns, "route", "show", "10.7.0.0/16").get(0).get("dev"))
                .isEqualTo(br);
        assertThat(IpIn.json(ns, "-6", "route", "show", "fd07::/64").get(0).get("dev"))
                .isEqualTo(br);
        // a refused add echoes nothing
        assertRefused(
                () -> h.routeAdd(RouteSpec.to(IpPrefix.parse("10.7.0.0/16")).via(ip("10.0.1.254")), made::add),
                Errno.EEXIST);
        assertThat(made).hasSize(2);
    }

    @Test
    void neighbours() {
        h.addrAdd(br, IpPrefix.parse("10.0.1.1/24"));
        h.addrAdd(AddressSpec.of(br, IpPrefix.parse("fd00::1/64")).noDad());
        MacAddress m4 = MacAddress.parse("02:00:00:00:00:55");
        MacAddress m6 = MacAddress.parse("02:00:00:00:00:56");
        h.neighAdd(NeighborSpec.of(br, ip("10.0.1.5"), m4));
        h.neighAdd(NeighborSpec.of(br, ip("fd00::5"), m6));
        List<String> ours = new ArrayList<>();
        for (Neighbor n : h.neighList()) {
            if (n.isPermanent()) {
                ours.add(IpPrefix.format(n.ip()) + " " + n.mac());
            }
        }
        List<String> theirs = new ArrayList<>();
        for (Map<String, Object> n : IpIn.json(ns, "neigh", "show", "nud", "permanent")) {
            theirs.add((String) n.get("dst") + " " + n.get("lladdr"));
        }
        assertThat(ours)
                .containsExactlyInAnyOrderElementsOf(theirs)
                .contains("10.0.1.5 02:00:00:00:00:55", "fd00::5 02:00:00:00:00:56");
        assertRefused(() -> h.neighAdd(NeighborSpec.of(br, ip("10.0.1.5"), m4)), Errno.EEXIST);
        h.neighReplace(NeighborSpec.of(br, ip("10.0.1.5"), m6));
        assertThat(h.neighList()).anySatisfy(n -> {
            assertThat(n.ip()).isEqualTo(ip("10.0.1.5"));
            assertThat(n.mac()).isEqualTo(m6);
        });
        h.neighDel(NeighborSpec.of(br, ip("10.0.1.5"), null));
        assertThat(h.neighList()).noneMatch(n -> ip("10.0.1.5").equals(n.ip()));
        assertThat(IpIn.json(ns, "neigh", "show", "to", "10.0.1.5")).isEmpty();
    }

    @Test
    void fdbEntries() {
        MacAddress mac = MacAddress.parse("02:00:00:00:00:66");
        h.neighAdd(NeighborSpec.fdb(port, mac));
        int portIndex = h.linkIndex(port);
        Neighbor e = h.fdbList().stream()
                .filter(n -> mac.equals(n.mac()))
                .findFirst()
                .orElseThrow();
        assertThat(e.isFdb()).isTrue();
        assertThat(e.index()).isEqualTo(portIndex);
        assertThat(e.masterIndex()).isEqualTo(h.linkIndex(br));
        List<Map<String, Object>> bridge = jsonOf(IpIn.run(ns, "bridge", "-j", "fdb", "show", "dev", port));
        assertThat(bridge).anySatisfy(m -> {
            assertThat(m.get("mac")).isEqualTo(mac.toString());
            assertThat(m.get("state")).isEqualTo("static");
            assertThat((List<?>) m.get("flags")).isEmpty();
        });
        h.neighDel(NeighborSpec.fdb(port, mac));
        assertThat(h.fdbList()).noneMatch(n -> mac.equals(n.mac()));
        assertThat(jsonOf(IpIn.run(ns, "bridge", "-j", "fdb", "show", "dev", port)))
                .noneMatch(m -> mac.toString().equals(m.get("mac")));
        assertThat(num(IpIn.link(ns, port).get("ifindex"))).isEqualTo(portIndex);
    }

    private static List<Map<String, Object>> jsonOf(String out) {
        return out.isBlank() ? List.of() : Json.array(out.trim());
    }
}
