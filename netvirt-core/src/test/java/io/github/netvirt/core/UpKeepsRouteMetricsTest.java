package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.netlink.RouteSpec;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import org.junit.jupiter.api.Test;

/** {@link Topology#up} after {@link Topology#down} gives a route back as it was, its {@code mtu} too (report-ux item 1). */
@RequiresRoot
class UpKeepsRouteMetricsTest {
    static String routes(NetNamespace n) throws Exception {
        return n.exec("ip", "-j", "-d", "-4", "route", "show", "table", "all", "dev", "eth0")
                        .stdout()
                + n.exec("ip", "-j", "-d", "-6", "route", "show", "table", "all", "dev", "eth0")
                        .stdout();
    }

    @Test
    void upGivesARouteBackWithItsMtu() throws Exception {
        try (Topology t = Seeds.routed()
                .ephemeral()
                .ns("h1")
                .dev("eth0")
                .addr("fd01::2/64")
                .apply()) {
            t.netlink("h1")
                    .routeAdd(RouteSpec.to(IpPrefix.parse("10.4.0.0/16"))
                            .via(IpPrefix.parseAddress("10.1.0.1"))
                            .table(100)
                            .metric(50)
                            .mtu(1400));
            t.netlink("h1")
                    .routeAdd(RouteSpec.to(IpPrefix.parse("fd04::/64"))
                            .dev("eth0")
                            .pref(1)
                            .mtu(1300));
            NetNamespace h1 = t.namespace("h1");
            String before = routes(h1);
            assertThat(before).contains("\"mtu\":1400", "\"mtu\":1300", "\"pref\":\"high\"");
            t.down("h1", "eth0");
            assertThat(routes(h1)).doesNotContain("1400");
            t.up("h1", "eth0");
            assertThat(routes(h1)).isEqualTo(before);
        }
    }
}
