package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A namespace's name is a host name in its topology's table only where it names that host alone: a
 * name a hosts file would split (a space, a '#'), an IP literal, and names that differ only by case
 * (host names do not) are left out, so that no lookup answers another host's address. No root.
 */
class HostNamesTableTest {

    /** Hosts {@code a} (10.1.0.1) and {@code b} (10.1.0.2), joined by a veth. */
    private static Map<String, List<InetAddress>> table(String a, String b) {
        return HostNames.table(Topology.create()
                .ns(a)
                .veth("e0", b, "e0")
                .addr("10.1.0.1/24")
                .ns(b)
                .dev("e0")
                .addr("10.1.0.2/24")
                .spec());
    }

    private static InetAddress ip(String a) throws Exception {
        return InetAddress.getByName(a);
    }

    @Test
    void plainNamesAreHostNames() throws Exception {
        assertThat(table("server", "client"))
                .containsEntry("server", List.of(ip("10.1.0.1")))
                .containsEntry("client", List.of(ip("10.1.0.2")));
    }

    @Test
    void aNameWithASpaceIsNoHostNameAndTakesNoOthersName() throws Exception {
        Map<String, List<InetAddress>> t = table("a b", "b");
        assertThat(t).containsOnlyKeys("b").containsEntry("b", List.of(ip("10.1.0.2")));
        assertThat(HostNames.hostsFile(t)).doesNotContain("10.1.0.1");
    }

    @Test
    void aNameWithAHashIsNoHostName() {
        assertThat(table("a#b", "c")).containsOnlyKeys("c");
    }

    @Test
    void anIpLiteralIsNoHostName() {
        assertThat(table("10.9.9.9", "c")).containsOnlyKeys("c");
        assertThat(table("fd00::9", "c")).containsOnlyKeys("c");
    }

    @Test
    void namesThatDifferOnlyByCaseAreNeitherHostsName() {
        assertThat(table("Srv", "srv")).isEmpty();
    }
}
