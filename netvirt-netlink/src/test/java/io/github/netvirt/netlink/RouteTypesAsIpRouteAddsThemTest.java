package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A route of each type, made from a spec as {@code ip route add TYPE PREFIX ...} makes it: the types
 * without a next hop need no device, and a route of the local table's types lands there with
 * iproute2's scope.
 */
@RequiresRoot
class RouteTypesAsIpRouteAddsThemTest extends OneNamespace {
    final String d0 = TestNames.unique("rt");
    final String d1 = TestNames.unique("rt");

    @BeforeEach
    void setUp() {
        h.linkAdd(LinkSpec.veth(d0, d1).bothUp());
        h.addrAdd(d0, IpPrefix.parse("10.9.0.1/24"));
    }

    /** {@code ip route add blackhole|unreachable|prohibit|throw PREFIX}, IPv4 and IPv6. */
    @Test
    void routesWithoutANextHopNeedNoDevice() {
        int[] types = {6, 7, 8, 9}; // RTN_BLACKHOLE, RTN_UNREACHABLE, RTN_PROHIBIT, RTN_THROW
        for (int i = 0; i < types.length; i++) {
            IpPrefix v4 = IpPrefix.parse("10.5" + i + ".0.0/16");
            IpPrefix v6 = IpPrefix.parse("fd5" + i + "::/48");
            h.routeAdd(RouteSpec.to(v4).type(types[i]));
            h.routeAdd(RouteSpec.to(v6).type(types[i]));
            for (IpPrefix p : new IpPrefix[] {v4, v6}) {
                Route r = route(p, Nl.RT_TABLE_MAIN);
                assertThat(r.type()).as("type of %s", p).isEqualTo(types[i]);
                assertThat(r.scope()).as("scope of %s", p).isEqualTo(Nl.RT_SCOPE_UNIVERSE);
            }
        }
    }

    /** The kernel refuses a next hop on a blackhole route (EINVAL): the spec is refused before anything is sent. */
    @Test
    void aRouteWithoutANextHopIsRefusedOneBeforeAnythingIsSent() {
        IpPrefix p = IpPrefix.parse("10.50.0.0/16");
        assertThatThrownBy(() -> h.routeAdd(RouteSpec.to(p).dev(d0).type(6)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blackhole");
        assertThatThrownBy(() -> h.routeReplace(RouteSpec.to(p).type(7).via(IpPrefix.parseAddress("10.9.0.2"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unreachable");
        assertThat(h.routeList()).noneMatch(r -> r.destination().equals(p));
    }

    /** {@code ip route add local PREFIX dev D}: scope host, in the local table. */
    @Test
    void aLocalRouteGoesToTheLocalTableWithHostScope() {
        IpPrefix p = IpPrefix.parse("10.51.0.1/32");
        h.routeAdd(RouteSpec.to(p).type(Nl.RTN_LOCAL).dev(d0));
        Route r = route(p, Nl.RT_TABLE_LOCAL);
        assertThat(r.type()).isEqualTo(Nl.RTN_LOCAL);
        assertThat(r.scope()).isEqualTo(Nl.RT_SCOPE_HOST);
        h.routeDel(RouteSpec.to(p).type(Nl.RTN_LOCAL));
        assertThat(h.routeList(Nl.RT_TABLE_LOCAL))
                .noneMatch(x -> x.destination().equals(p));
    }

    /** {@code ip route add broadcast PREFIX dev D}: scope link, in the local table. */
    @Test
    void aBroadcastRouteGoesToTheLocalTable() {
        IpPrefix p = IpPrefix.parse("10.51.0.255/32");
        h.routeAdd(RouteSpec.to(p).type(Nl.RTN_BROADCAST).dev(d0));
        Route r = route(p, Nl.RT_TABLE_LOCAL);
        assertThat(r.scope()).isEqualTo(Nl.RT_SCOPE_LINK);
    }

    private Route route(IpPrefix p, int table) {
        return h.routeList(table).stream()
                .filter(r -> r.destination().equals(p))
                .findFirst()
                .orElseThrow(() -> new AssertionError(p + " not in table " + table + ": " + h.routeList(table)));
    }
}
