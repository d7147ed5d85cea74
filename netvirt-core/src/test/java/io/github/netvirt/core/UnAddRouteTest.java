package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.core.spec.NamespaceRoute;
import io.github.netvirt.netlink.IpPrefix;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** What a failed change deletes of a route it added: the route its add's echo told, or nothing. */
class UnAddRouteTest {
    private static final NamespaceRoute VIA_GATEWAY = new NamespaceRoute(
            "a", IpPrefix.parse("2001:db8:77::/64"), address("fd00::2"), null, 1024, NamespaceRoute.MAIN_TABLE);
    private static final NamespaceRoute OUT_OF_DEVICE =
            new NamespaceRoute("a", IpPrefix.parse("10.7.0.0/16"), null, "e0", 0, 100);

    @Test
    void withoutAnEchoNothingIsDeletedWhateverTheKernelLists() {
        // the add failed (EEXIST: someone else's route, its expires counting down) or never came back
        assertThat(LiveChange.unAdd(VIA_GATEWAY, null)).isNull();
        assertThat(LiveChange.unAdd(OUT_OF_DEVICE, null)).isNull();
    }

    @Test
    void theEchoedRouteIsDeletedOutOfItsDeviceWithItsGatewayTableAndMetric() {
        assertThat(LiveChange.unAdd(VIA_GATEWAY, 7)).hasToString("2001:db8:77::/64 via fd00::2 dev #7 metric 1024");
        assertThat(LiveChange.unAdd(OUT_OF_DEVICE, 9)).hasToString("10.7.0.0/16 dev #9 table 100 metric 0");
    }

    @Test
    void anEchoOfSeveralNextHopsDeletesTheOneViaTheGateway() {
        assertThat(LiveChange.unAdd(VIA_GATEWAY, 0)).hasToString("2001:db8:77::/64 via fd00::2 metric 1024");
    }

    private static InetAddress address(String a) {
        try {
            return InetAddress.getByName(a);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
