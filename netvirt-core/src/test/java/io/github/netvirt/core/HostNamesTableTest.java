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

    /**
     * glibc's {@code inet_aton} (getent, ping, every process's lookup) and the JDK read these as IPv4
     * addresses, never as names: 0.0.0.123, 10.0.0.1, 1.2.0.3, 127.0.0.1 and 8.0.0.1 (octal); and an
     * IPv6 address with a zone as that address.
     */
    @Test
    void aNameTheResolversReadAsAnAddressIsNoHostName() {
        for (String name : List.of(
                "123", "10.1", "1.2.3", "0x7f.1", "010.0.0.1", "4294967295", "037777777777", "0XfF.1", "fe80::1%lo")) {
            assertThat(table(name, "c")).as(name).containsOnlyKeys("c");
        }
    }

    /** Digits and dots that are no address to inet_aton: a part over its bytes, five parts, an 8 in octal, an exponent. */
    @Test
    void digitsThatAreNoAddressAreHostNames() {
        for (String name : List.of("256.1.1.1", "1.2.3.4.5", "4294967296", "08", "1e3", "0x", "1.", "0x.1", "١٢٣")) {
            assertThat(table(name, "c")).as(name).containsOnlyKeys(name, "c");
        }
    }

    /** The names the hosts file gives the loopback addresses before the hosts': a process's lookup answers ::1. */
    @Test
    void aNameOfTheLoopbackIsNoHostName() {
        for (String name : List.of("localhost", "ip6-localhost", "IP6-Loopback")) {
            assertThat(table(name, "c")).as(name).containsOnlyKeys("c");
        }
    }

    /**
     * A host is named as its namespace is declared, as a hosts file line names it: in the hosts file and
     * in the answer to a reverse lookup (the table's key), and is looked up in any case, as glibc looks
     * up a hosts file.
     */
    @Test
    void aHostIsNamedAsDeclaredAndLookedUpInAnyCase() throws Exception {
        Map<String, List<InetAddress>> t = table("Server", "client");
        assertThat(t.keySet()).containsExactlyInAnyOrder("Server", "client");
        assertThat(t.get("server")).isEqualTo(List.of(ip("10.1.0.1")));
        assertThat(t.get("SERVER")).isEqualTo(List.of(ip("10.1.0.1")));
        assertThat(HostNames.hostsFile(t)).contains("10.1.0.1\tServer\n");
    }

    @Test
    void namesThatDifferOnlyByCaseAreNeitherHostsName() {
        assertThat(table("Srv", "srv")).isEmpty();
    }
}
