package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netlink.codec.NlReader;
import io.github.netvirt.netlink.codec.NlWriter;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** {@link RouteMetrics} and IPv6 {@code pref}: a route spec written and decoded back is the same route. No root needed. */
class RouteMetricsTest {
    static Route roundTrip(RouteSpec s) {
        NlWriter w = new NlWriter(256);
        int start = w.begin(Nl.RTM_NEWROUTE, 0, 1, 0);
        RouteCodec.write(w, Nl.RTM_NEWROUTE, s, 3);
        w.end(start);
        return RouteCodec.decode(NlReader.parseAll(w.toByteArray()).get(0));
    }

    @Test
    void metricsAndPrefSurviveWriteAndDecode() {
        RouteMetrics m = RouteMetrics.NONE
                .with(Nl.RTAX_MTU, 1300)
                .with(Nl.RTAX_LOCK, 1 << Nl.RTAX_MTU)
                .with(8, 1260) // advmss
                .with(10, 9) // hoplimit
                .withCongestionControl("reno");
        Route v4 = roundTrip(RouteSpec.to(IpPrefix.parse("10.7.0.0/16"))
                .via(IpPrefix.parseAddress("10.0.1.254"))
                .metrics(m));
        assertThat(v4.metrics()).isEqualTo(m);
        assertThat(v4.metrics().mtu()).isEqualTo(1300);
        assertThat(v4.pref()).isZero();

        Route v6 = roundTrip(RouteSpec.to(IpPrefix.parse("fd07::/64")).pref(3).mtu(1350));
        assertThat(v6.pref()).isEqualTo(3);
        assertThat(v6.metrics().values()).isEqualTo(Map.of(Nl.RTAX_MTU, 1350));

        Route bare = roundTrip(RouteSpec.to(IpPrefix.parse("10.8.0.0/16")).dev(3));
        assertThat(bare.metrics()).isEqualTo(RouteMetrics.NONE);
    }

    @Test
    void typeRealmAndExpiresSurviveWriteAndDecode() {
        Route r = roundTrip(RouteSpec.to(IpPrefix.parse("10.12.0.255/32"))
                .type(Nl.RTN_BROADCAST)
                .realm(5)
                .scope(Nl.RT_SCOPE_LINK));
        assertThat(r.type()).isEqualTo(Nl.RTN_BROADCAST);
        assertThat(r.realm()).isEqualTo(5);
        assertThat(r.expires()).isNull();
        assertThat(RouteSpec.to(IpPrefix.parse("fd09::/64")).dev(3).expires(300))
                .hasToString("fd09::/64 dev #3 expires 300");
        assertThatThrownBy(() -> RouteSpec.to(IpPrefix.parse("10.9.0.0/16")).expires(300))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not IPv6");
        assertThatThrownBy(() -> RouteSpec.to(IpPrefix.parse("fd09::/64")).expires(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nexthopsSurviveWriteAndDecode() {
        java.util.List<Nexthop> nh = java.util.List.of(
                new Nexthop(IpPrefix.parseAddress("fd00::2"), 3, 2, 0),
                new Nexthop(IpPrefix.parseAddress("fd00::3"), 4, 256, Nl.RTNH_F_ONLINK),
                new Nexthop(null, 5, 1, 0));
        RouteSpec s = RouteSpec.to(IpPrefix.parse("fd09::/64")).nexthops(nh);
        NlWriter w = new NlWriter(256);
        int start = w.begin(Nl.RTM_NEWROUTE, 0, 1, 0);
        RouteCodec.write(w, Nl.RTM_NEWROUTE, s, 0);
        w.end(start);
        Route r = RouteCodec.decode(NlReader.parseAll(w.toByteArray()).get(0));
        assertThat(r.nexthops()).isEqualTo(nh);
        assertThat(r.gateway()).isNull();
        assertThat(r.outputIndex()).isZero();
        assertThat(r.scope()).isEqualTo(Nl.RT_SCOPE_UNIVERSE);
        assertThat(s)
                .hasToString("fd09::/64 nexthop via fd00::2 dev #3 weight 2 nexthop via fd00::3 dev #4 weight 256"
                        + " onlink nexthop dev #5 weight 1");
    }

    @Test
    void badNexthopsAreRefusedBeforeTheKernel() {
        RouteSpec to = RouteSpec.to(IpPrefix.parse("10.9.0.0/16"));
        Nexthop ok = new Nexthop(IpPrefix.parseAddress("10.0.1.254"), 3, 1, 0);
        assertThatThrownBy(() -> to.nexthops(java.util.List.of())).hasMessageContaining("none");
        assertThatThrownBy(() -> to.dev(3).nexthops(java.util.List.of(ok))).hasMessageContaining("no via/dev");
        assertThatThrownBy(
                        () -> RouteCodec.add(to.nexthops(java.util.List.of(ok)).dev(3)))
                .hasMessageContaining("nexthops and via/dev");
        // an IPv4 route may go through an IPv6 next hop (via inet6), not the other way round
        assertThatThrownBy(() -> RouteSpec.to(IpPrefix.parse("fd09::/64")).nexthops(java.util.List.of(ok)))
                .hasMessageContaining("not of the family");
        assertThatThrownBy(() -> RouteSpec.to(IpPrefix.parse("fd09::/64")).via(IpPrefix.parseAddress("10.0.1.254")))
                .hasMessageContaining("not of the family");
        assertThatThrownBy(() -> to.nexthops(java.util.List.of(new Nexthop(null, 0, 1, 0))))
                .hasMessageContaining("gateway or a device");
        assertThatThrownBy(() -> to.nexthops(java.util.List.of(new Nexthop(null, 3, 1, 1))))
                .hasMessageContaining("only onlink");
        assertThatThrownBy(() -> new Nexthop(null, 3, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Nexthop(null, 3, 257, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void whatIsLeftOfALifetime() {
        assertThat(DownedLink.secondsLeft(java.time.Duration.ofSeconds(300), java.time.Duration.ofMillis(2500)))
                .isEqualTo(298);
        assertThat(DownedLink.secondsLeft(java.time.Duration.ofMillis(10), java.time.Duration.ZERO))
                .isEqualTo(1);
        assertThat(DownedLink.secondsLeft(java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1)))
                .isEqualTo(-1);
        assertThat(DownedLink.secondsLeft(java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(5)))
                .isEqualTo(-1);
    }

    @Test
    void mtuKeepsTheOtherMetricsAndMetricsReplacesThem() {
        RouteSpec s = RouteSpec.to(IpPrefix.parse("10.7.0.0/16"))
                .metrics(RouteMetrics.NONE.with(8, 1260))
                .mtu(1400);
        assertThat(s.metrics.values()).isEqualTo(Map.of(8, 1260, Nl.RTAX_MTU, 1400));
        assertThat(s).hasToString("10.7.0.0/16 mtu 1400 advmss 1260");
        assertThat(s.metrics(RouteMetrics.NONE).metrics).isEqualTo(RouteMetrics.NONE);
    }

    @Test
    void valuesAreCopiedAndZeroIsUnset() {
        TreeMap<Integer, Integer> v = new TreeMap<>(Map.of(Nl.RTAX_MTU, 1400, 8, 0));
        RouteMetrics m = new RouteMetrics(v, null);
        v.put(10, 5);
        assertThat(m.values()).isEqualTo(Map.of(Nl.RTAX_MTU, 1400));
        assertThat(m.with(Nl.RTAX_MTU, 0)).isEqualTo(RouteMetrics.NONE);
        assertThatThrownBy(() -> m.values().put(3, 3)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void badInputIsRefusedBeforeTheKernel() {
        assertThatThrownBy(() -> RouteMetrics.NONE.with(Nl.RTAX_CC_ALGO, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RTAX type 16");
        assertThatThrownBy(() -> RouteMetrics.NONE.with(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RouteMetrics.NONE.withCongestionControl(""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RouteSpec.to(IpPrefix.parse("10.7.0.0/16")).pref(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not IPv6");
        assertThatThrownBy(() -> RouteSpec.to(IpPrefix.parse("fd07::/64")).pref(2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pref 2");
    }
}
