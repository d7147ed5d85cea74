package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The DAD time of a veth's other end, read through the id its namespace has in this one (the link's
 * {@code IFLA_AF_SPEC}), is what its sysctls say ({@link Sysctls#dadTime}): the bound of the wait for
 * its DAD, with no handle on that namespace.
 */
@RequiresRoot
class DadTimeOfAnotherNamespacesLinkTest {

    @Test
    void theOtherEndsDadTimeIsWhatItsSysctlsSay() {
        String a = TestNames.unique("jOta");
        String b = TestNames.unique("jOtb");
        Ip.ok("netns", "add", a);
        Ip.ok("netns", "add", b);
        try (NetNamespace aNs = NetNamespace.open(a);
                NetNamespace bNs = NetNamespace.open(b);
                NetlinkHandle h = NetlinkHandle.open(aNs)) {
            Ip.ok("-n", a, "link", "add", "jOc0", "type", "veth", "peer", "name", "jOp0", "netns", b);
            Sysctls s = Sysctls.of(bNs);
            s.set("ipv6/conf/jOp0/dad_transmits", "3");
            s.set("ipv6/conf/jOp0/router_solicitation_delay", "2");
            s.set("ipv6/neigh/jOp0/retrans_time_ms", "700");
            Link l = h.link("jOc0");

            Duration d = h.dadTime(l.peerIndex().getAsInt(), l.linkNetnsId()).orElseThrow();

            assertThat(d).isEqualTo(s.dadTime("jOp0")).isEqualTo(Duration.ofMillis(2000 + 3 * 700));
            assertThat(h.dadTime(l.index(), -1)).contains(Sysctls.of(aNs).dadTime("jOc0"));
        } finally {
            Ip.run("netns", "del", a);
            Ip.run("netns", "del", b);
        }
    }
}
