package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netlink.Route;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.StateDump;
import io.github.netvirt.netns.testing.TestNames;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A change that declares a route someone else added already fails (EEXIST), and its rollback deletes
 * only the routes the change made: not the other's, which the kernel lists with an {@code expires}
 * that counted down since the change began.
 */
@RequiresRoot
class ChangeRollbackOthersRouteTest {
    private final String p = TestNames.unique("gD") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    private static final IpPrefix VIA_DEVICE = IpPrefix.parse("2001:db8:77::/64");
    private static final IpPrefix VIA_GATEWAY = IpPrefix.parse("2001:db8:78::/64");

    @Test
    void aFailedChangeKeepsTheExpiringRoutesItDeclaredAgain() throws Exception {
        try (Topology t = RouteMetricTableValidationTest.twoHosts().prefix(p).apply()) {
            for (IpPrefix x : List.of(VIA_DEVICE, VIA_GATEWAY)) {
                Ip.ok(
                        "-n",
                        p + "a",
                        "-6",
                        "route",
                        "add",
                        x.toString(),
                        "via",
                        "fd00::2",
                        "dev",
                        "e0",
                        "expires",
                        "300");
            }
            List<String> before = RouteMetricTableTest.routes(p + "a", true);
            assertThat(before).hasSize(2);
            String state = StateDump.of(p);
            try (NetNamespace a = NetNamespace.open(p + "a");
                    NetlinkHandle h = NetlinkHandle.open(a)) {
                // the change makes namespace c first: there, once the routes were listed before the
                // change, the other's expires counts down a tick, so that the kernel lists it otherwise
                ApplyOptions ticks = new ApplyOptions(-1, made -> awaitTick(h));
                assertThatThrownBy(() -> t.change()
                                .ns("c")
                                .ns("a")
                                .route("2001:db8:79::/64", "fd00::2", "e0")
                                .route(VIA_DEVICE.toString(), "fd00::2", "e0")
                                .route(VIA_GATEWAY.toString(), "fd00::2")
                                .apply(ticks))
                        .isInstanceOfSatisfying(
                                ApplyException.class,
                                e -> assertThat(e.errnoConstant()).isEqualTo(Errno.EEXIST));
            }
            // the other's routes stay, and the one the change made is gone
            assertThat(RouteMetricTableTest.routes(p + "a", true)).isEqualTo(before);
            for (IpPrefix x : List.of(VIA_DEVICE, VIA_GATEWAY)) {
                assertThat(Ip.ok("-n", p + "a", "-j", "-6", "route", "show", x.toString()))
                        .contains("\"expires\"");
            }
            assertThat(StateDump.of(p)).isEqualTo(state);
            assertThat(t.spec().findNamespace("c")).isEmpty();
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    /** Waits until the expires of {@link #VIA_DEVICE} that {@code h} lists is less than when called. */
    private static void awaitTick(NetlinkHandle h) {
        Duration first = expires(h);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (expires(h).compareTo(first) >= 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the expires of " + VIA_DEVICE + " stayed " + first + " for 60 s");
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static Duration expires(NetlinkHandle h) {
        return h.routeList().stream()
                .filter(r -> r.destination().equals(VIA_DEVICE))
                .map(Route::expires)
                .findFirst()
                .orElseThrow();
    }
}
