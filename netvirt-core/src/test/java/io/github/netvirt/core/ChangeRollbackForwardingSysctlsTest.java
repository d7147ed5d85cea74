package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A failed change that declared forwarding in a namespace of the topology leaves that namespace's
 * sysctls as they were, those its user set since the apply (through {@code Topology.exec}, say)
 * included. The kernel propagates a write of {@code ipv4/ip_forward} or {@code
 * ipv6/conf/all/forwarding} to every device's {@code forwarding} and to {@code default} (the IPv6
 * one even when the value written is the one there), and one of {@code ip_forward} also sets {@code
 * ipv4/conf/all/accept_redirects} to its opposite: writing the old global value back does not give
 * back what the first write overwrote.
 */
@RequiresRoot
class ChangeRollbackForwardingSysctlsTest {
    private final String p = TestNames.unique("iB") + "-";
    private final String b = p + "b";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    private Topology twoHosts() {
        Topology t = Topology.create()
                .prefix(p)
                .ns("b")
                .veth("b0", "a", "a0")
                .addr("10.69.0.2/24")
                .ns("a")
                .dev("a0")
                .addr("10.69.0.1/24")
                .bridge("x0")
                .apply();
        // its user forwards on lo only, and does not accept redirects
        for (String s : List.of(
                "net.ipv4.conf.all.accept_redirects=0",
                "net.ipv4.conf.lo.forwarding=1",
                "net.ipv6.conf.lo.forwarding=1",
                "net.ipv6.conf.default.forwarding=1")) {
            Ip.ok("netns", "exec", b, "sysctl", "-q", "-w", s);
        }
        return t;
    }

    @Test
    void aFailedChangeThatTurnedForwardingOnGivesTheNamespacesSysctlsBack() {
        try (Topology t = twoHosts()) {
            String before = sysctls();
            TopologyBuilder change = t.change().ns("b").forwarding().ns("a").removeDevice("x0");
            List<Step> steps = change.plan().steps();
            int forwarding = -1;
            for (int k = 0; k < steps.size(); k++) {
                if (steps.get(k).op() instanceof ForwardingStep) {
                    forwarding = k;
                }
            }
            // the failure stands for one after forwarding is on: at the removal, which comes last
            assertThat(forwarding).as(steps.toString()).isEqualTo(steps.size() - 2);
            assertThatThrownBy(() -> change.apply(ApplyOptions.failingAt(steps.size() - 1, () -> {})))
                    .isInstanceOf(ApplyException.class);
            assertThat(sysctls())
                    .as("the namespace's sysctls after the failed change")
                    .isEqualTo(before);
        }
    }

    @Test
    void aChangeThatFailedBeforeTurningForwardingOnLeavesTheNamespacesSysctls() {
        try (Topology t = twoHosts()) {
            String before = sysctls();
            TopologyBuilder change = t.change().ns("b").forwarding().bridge("y0");
            List<Step> steps = change.plan().steps();
            int forwarding = -1;
            for (int k = 0; k < steps.size(); k++) {
                if (steps.get(k).op() instanceof ForwardingStep) {
                    forwarding = k;
                }
            }
            assertThat(forwarding).as(steps.toString()).isNotNegative();
            // fails before the forwarding step: forwarding is never turned on
            int at = forwarding;
            assertThatThrownBy(() -> change.apply(ApplyOptions.failingAt(at, () -> {})))
                    .isInstanceOf(ApplyException.class);
            assertThat(sysctls())
                    .as("the namespace's sysctls after the failed change")
                    .isEqualTo(before);
        }
    }

    private String sysctls() {
        return Ip.ok(
                "netns",
                "exec",
                b,
                "sh",
                "-c",
                "cd /proc/sys/net; grep -H . ipv4/ip_forward ipv4/conf/*/forwarding ipv4/conf/all/accept_redirects"
                        + " ipv6/conf/*/forwarding");
    }
}
