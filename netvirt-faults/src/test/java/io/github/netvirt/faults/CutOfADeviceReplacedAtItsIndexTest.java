package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A cut's device deleted by someone else, who makes a device of their own at its ifindex ({@code ip
 * link add ... index N}, or a device moved in from a namespace where it had that index): the heal
 * leaves that device as it is, down, with nothing of the cut device's given to it; it heals quietly,
 * as for a device that is simply gone.
 */
@RequiresRoot
class CutOfADeviceReplacedAtItsIndexTest {
    private final String a = TestNames.unique("gR");
    private final String b = TestNames.unique("gR");
    private NetNamespace na;
    private NetNamespace nb;

    @BeforeEach
    void build() {
        na = NetNamespace.create(a);
        nb = NetNamespace.create(b);
        Ip.ok("-n", a, "link", "add", "gRA", "type", "veth", "peer", "name", "gRB", "netns", b);
        Ip.ok("-n", a, "addr", "add", "10.94.0.1/24", "dev", "gRA");
        Ip.ok("-n", a, "addr", "add", "fd94::1/64", "dev", "gRA", "nodad");
        Ip.ok("-n", b, "addr", "add", "10.94.0.2/24", "dev", "gRB");
        Ip.ok("-n", a, "link", "set", "gRA", "up");
        Ip.ok("-n", b, "link", "set", "gRB", "up");
    }

    @AfterEach
    void remove() {
        for (NetNamespace ns : new NetNamespace[] {na, nb}) {
            String name = ns.name().orElseThrow();
            ns.close();
            if (NetNamespace.exists(name)) {
                NetNamespace.delete(name);
            }
        }
    }

    @Test
    void theHealLeavesADeviceOfSomeoneElseAtTheCutDevicesIndexAlone() {
        int index = index(a, "gRA");
        LinkCut cut = LinkCut.cut(na, "gRA");
        Ip.ok("-n", a, "link", "del", "gRA");
        Ip.ok("-n", a, "link", "add", "name", "theirs", "index", Integer.toString(index), "type", "bridge");
        cut.heal();
        assertThat(cut.isActive()).isFalse();
        assertThat(Ip.ok("-n", a, "-j", "link", "show", "dev", "theirs"))
                .as("someone else's bridge at the cut device's index")
                .doesNotContain("\"UP\"");
        assertThat(Ip.ok("-n", a, "-o", "address", "show", "dev", "theirs"))
                .as("its addresses")
                .doesNotContain("fd94::1");
    }

    private static int index(String ns, String dev) {
        Matcher m = Pattern.compile("\"ifindex\":(\\d+)").matcher(Ip.ok("-n", ns, "-j", "link", "show", "dev", dev));
        assertThat(m.find()).as("ifindex of " + dev).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
