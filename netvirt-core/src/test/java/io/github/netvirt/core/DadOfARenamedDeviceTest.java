package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The change that gives an IPv4-only topology its first IPv6 address turns DAD off for the topology's
 * devices (accept_dad, a sysctl named for the device): for one someone renamed, under its new name,
 * and not for a device of theirs that took its old one. The change that removes the last turns it on
 * again the same way.
 */
@RequiresRoot
class DadOfARenamedDeviceTest {
    private final String p = TestNames.unique("gD") + "-";
    private final String a = p + "a";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    @Test
    void acceptDadIsWrittenForTheRenamedDeviceNotTheOneThatTookItsName() {
        try (Topology t = Topology.create()
                .prefix(p)
                .ns("a")
                .veth("eth0", "b", "eth0")
                .addr("10.69.0.1/24")
                .ns("b")
                .dev("eth0")
                .addr("10.69.0.2/24")
                .apply()) {
            Ip.ok("-n", a, "link", "set", "dev", "eth0", "down");
            Ip.ok("-n", a, "link", "set", "dev", "eth0", "name", "eth9");
            Ip.ok("-n", a, "link", "set", "dev", "eth9", "up");
            Ip.ok("-n", a, "link", "add", "name", "eth0", "type", "bridge");
            assertThat(acceptDad("eth0")).as("someone else's eth0 before").isEqualTo("1");

            t.change().ns("a").dev("eth0").addr("fd69::1/64").apply();
            assertThat(acceptDad("eth9"))
                    .as("the topology's eth0, renamed eth9")
                    .isEqualTo("0");
            assertThat(acceptDad("eth0")).as("someone else's eth0").isEqualTo("1");

            Ip.ok("netns", "exec", a, "sysctl", "-q", "-w", "net.ipv6.conf.eth0.accept_dad=2");
            t.change().ns("a").dev("eth0").removeAddr("fd69::1/64").apply();
            assertThat(acceptDad("eth9"))
                    .as("the topology's eth0, renamed eth9")
                    .isEqualTo("1");
            assertThat(acceptDad("eth0")).as("someone else's eth0").isEqualTo("2");
        }
    }

    private String acceptDad(String dev) {
        return Ip.exec(List.of("ip", "netns", "exec", a, "cat", "/proc/sys/net/ipv6/conf/" + dev + "/accept_dad"))
                .out()
                .trim();
    }
}
