package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.codec.Nl;
import org.junit.jupiter.api.Test;

/** The immutable specs: a setter returns a changed copy and leaves its receiver as it was. */
class SpecCopyTest {
    @Test
    void routeSetterLeavesTheOriginal() {
        RouteSpec base = RouteSpec.to(IpPrefix.parse("10.1.0.0/16")).dev(3);
        RouteSpec changed =
                base.via(IpPrefix.parseAddress("10.0.0.1")).metric(7).mtu(1400);
        assertThat(base.gateway).isNull();
        assertThat(base.metric).isEqualTo(-1);
        assertThat(base.metrics).isEqualTo(RouteMetrics.NONE);
        assertThat(changed.dev).isSameAs(base.dev);
        assertThat(changed).hasToString("10.1.0.0/16 via 10.0.0.1 dev #3 metric 7 mtu 1400");
    }

    @Test
    void aTosIsAnIpv4RoutesWithoutEcnBitsAndIsCopied() {
        RouteSpec base = RouteSpec.to(IpPrefix.parse("10.1.0.0/16")).dev(3);
        assertThat(base.tos(0x10).metric(7)).hasToString("10.1.0.0/16 dev #3 metric 7 tos 0x10");
        assertThat(base.tos).isZero();
        assertThatThrownBy(() -> base.tos(0x11)).hasMessageContaining("ECN bits");
        assertThatThrownBy(() -> base.tos(256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RouteSpec.to(IpPrefix.parse("fd00::/64")).tos(0x10))
                .hasMessageContaining("not IPv4");
    }

    @Test
    void addressSetterLeavesTheOriginal() {
        AddressSpec base = AddressSpec.of(2, IpPrefix.parse("10.0.2.1/24"));
        AddressSpec changed =
                base.broadcast(IpPrefix.parseAddress("10.0.2.255")).scope(253);
        assertThat(base.broadcast).isNull();
        assertThat(base.scope).isEqualTo(Nl.RT_SCOPE_UNIVERSE);
        assertThat(changed.scope).isEqualTo(253);
        assertThat(changed.prefix).isSameAs(base.prefix);
    }

    @Test
    void neighborSetterLeavesTheOriginal() {
        NeighborSpec base = NeighborSpec.fdb(4, MacAddress.parse("02:00:00:00:00:66"));
        NeighborSpec changed = base.self().vlan(10).permanent();
        assertThat(base.flags).isEqualTo(Nl.NTF_MASTER);
        assertThat(base.vlan).isZero();
        assertThat(base.state).isEqualTo(Nl.NUD_NOARP | Nl.NUD_REACHABLE);
        assertThat(changed.flags).isEqualTo(Nl.NTF_SELF);
        assertThat(changed.vlan).isEqualTo(10);
        assertThat(changed.state).isEqualTo(Nl.NUD_PERMANENT);
    }
}
