package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A failed change deletes the address it added to a device of an adopted namespace from that device,
 * found by the ifindex proven the topology's: not from another's device that took its name meanwhile
 * and carries the same address.
 */
@RequiresRoot
class ChangeRollbackOthersAddressTest {
    private final String p = TestNames.unique("gG") + "-";
    private final String adopted = p + "ad";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    @Test
    void aFailedChangeDeletesItsAddressFromItsOwnDeviceOnly() {
        Ip.ok("netns", "add", adopted);
        try (Topology t = Topology.create()
                .prefix(p)
                .adopt("app", adopted)
                .veth("eth1", "client", "app0")
                .addr("10.9.0.2/24")
                .ns("client")
                .dev("app0")
                .addr("10.9.0.1/24")
                .apply()) {
            TopologyBuilder change =
                    t.change().ns("app").dev("eth1").addr("10.9.7.1/24").route("10.60.0.0/16", "10.9.7.9", "eth1");
            assertThat(change.plan().steps())
                    .extracting(Step::action)
                    .containsExactly(Action.ADDR_ADD, Action.ROUTE_ADD);
            // once the address is added, someone renames eth1 and makes another eth1 with that address
            Runnable takeOver = () -> {
                Ip.ok("-n", adopted, "link", "set", "eth1", "down");
                Ip.ok("-n", adopted, "link", "set", "eth1", "name", "gGmoved");
                Ip.ok("-n", adopted, "link", "add", "eth1", "type", "bridge");
                Ip.ok("-n", adopted, "address", "add", "10.9.7.1/24", "dev", "eth1");
            };
            assertThatThrownBy(() -> change.apply(ApplyOptions.failingAt(1, takeOver)))
                    .isInstanceOf(ApplyException.class);
            assertThat(ipv4(adopted, "eth1")).as("the other's eth1").contains("10.9.7.1/24");
            assertThat(ipv4(adopted, "gGmoved"))
                    .as("the topology's eth1, renamed")
                    .contains("10.9.0.2/24")
                    .doesNotContain("10.9.7.1/24");
            Ip.ok("-n", adopted, "link", "del", "eth1");
        }
        assertThat(Ip.ok("-n", adopted, "-j", "link", "show"))
                .contains("\"lo\"")
                .doesNotContain("gGmoved")
                .doesNotContain("eth1");
    }

    private static String ipv4(String ns, String dev) {
        return Ip.ok("-n", ns, "-4", "-o", "address", "show", "dev", dev);
    }
}
