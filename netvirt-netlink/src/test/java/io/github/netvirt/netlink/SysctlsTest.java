package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sysctls are per namespace: set in one, seen there (by sysctl run inside), unchanged in the root. */
@RequiresRoot
class SysctlsTest {
    static String rootValue(String key) throws Exception {
        return Files.readString(Path.of("/proc/sys/net", key)).trim();
    }

    @Test
    void forwardingAndIpv6PerNamespace() throws Exception {
        String rootFwd = rootValue("ipv4/ip_forward");
        String rootFwd6 = rootValue("ipv6/conf/all/forwarding");
        try (NetNamespace ns = NetNamespace.ephemeral();
                NetlinkHandle h = NetlinkHandle.open(ns)) {
            Sysctls s = Sysctls.of(ns);
            assertThat(s.ipv4Forwarding()).isFalse();
            s.ipv4Forwarding(true);
            s.ipv6Forwarding(true);
            assertThat(s.ipv4Forwarding()).isTrue();
            assertThat(s.ipv6Forwarding()).isTrue();
            assertThat(IpIn.run(ns, "cat", "/proc/sys/net/ipv4/ip_forward").trim())
                    .isEqualTo("1");
            assertThat(IpIn.run(ns, "cat", "/proc/sys/net/ipv6/conf/all/forwarding")
                            .trim())
                    .isEqualTo("1");

            String br = TestNames.unique("nl");
            h.linkAdd(LinkSpec.bridge(br));
            assertThat(s.ipv6Disabled(br)).isFalse();
            s.ipv6Disabled(br, true);
            assertThat(s.ipv6Disabled(br)).isTrue();
            assertThat(IpIn.run(ns, "cat", "/proc/sys/net/ipv6/conf/" + br + "/disable_ipv6")
                            .trim())
                    .isEqualTo("1");
            s.ipv4Forwarding(false);
            assertThat(IpIn.run(ns, "cat", "/proc/sys/net/ipv4/ip_forward").trim())
                    .isEqualTo("0");
            assertThatThrownBy(() -> s.get("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(rootValue("ipv4/ip_forward")).isEqualTo(rootFwd);
        assertThat(rootValue("ipv6/conf/all/forwarding")).isEqualTo(rootFwd6);
    }

    /**
     * A value of several characters is read whole. {@code Files.readString} read only the first
     * (1 of retrans_time_ms's 1000, - of lo's accept_dad -1): failed before the fix.
     */
    @Test
    void valuesOfSeveralCharactersAreReadWhole() throws Exception {
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            Sysctls s = Sysctls.of(ns);
            String retrans = IpIn.run(ns, "cat", "/proc/sys/net/ipv6/neigh/lo/retrans_time_ms")
                    .trim();
            assertThat(retrans).hasSizeGreaterThan(1);
            assertThat(s.get("ipv6/neigh/lo/retrans_time_ms")).isEqualTo(retrans);
            assertThat(s.get("ipv6/conf/lo/accept_dad"))
                    .isEqualTo(IpIn.run(ns, "cat", "/proc/sys/net/ipv6/conf/lo/accept_dad")
                            .trim());
            long delay = Long.parseLong(IpIn.run(ns, "cat", "/proc/sys/net/ipv6/conf/lo/router_solicitation_delay")
                    .trim());
            long transmits = Long.parseLong(IpIn.run(ns, "cat", "/proc/sys/net/ipv6/conf/lo/dad_transmits")
                    .trim());
            assertThat(s.dadTime("lo").toMillis()).isEqualTo(delay * 1000 + transmits * Long.parseLong(retrans));
        }
    }

    /**
     * DAD off for default and the devices named, as the kernel then reports, the others (lo) left
     * as they were; restore gives each what acceptDad read before.
     */
    @Test
    void ipv6DadOffAndRestore() throws Exception {
        try (NetNamespace ns = NetNamespace.ephemeral();
                NetlinkHandle h = NetlinkHandle.open(ns)) {
            String br = TestNames.unique("nl");
            h.linkAdd(LinkSpec.bridge(br));
            Sysctls s = Sysctls.of(ns);
            String lo = s.get("ipv6/conf/lo/accept_dad");
            Map<String, String> before = s.acceptDad(List.of(br, "gone0"));
            assertThat(before)
                    .containsExactly(
                            Map.entry("ipv6/conf/default/accept_dad", "1"),
                            Map.entry("ipv6/conf/" + br + "/accept_dad", "1"));
            s.ipv6Dad(List.of(br, "gone0"), false);
            for (String d : new String[] {"default", br}) {
                assertThat(IpIn.run(ns, "cat", "/proc/sys/net/ipv6/conf/" + d + "/accept_dad")
                                .trim())
                        .as(d)
                        .isEqualTo("0");
            }
            assertThat(IpIn.run(ns, "cat", "/proc/sys/net/ipv6/conf/lo/accept_dad")
                            .trim())
                    .as("lo, not named")
                    .isEqualTo(lo);
            s.restore(before);
            assertThat(IpIn.run(ns, "cat", "/proc/sys/net/ipv6/conf/default/accept_dad")
                            .trim())
                    .isEqualTo("1");
            assertThat(IpIn.run(ns, "cat", "/proc/sys/net/ipv6/conf/" + br + "/accept_dad")
                            .trim())
                    .isEqualTo("1");
            assertThatThrownBy(() -> s.ipv6Dad(List.of("../x"), false)).isInstanceOf(IllegalArgumentException.class);
        }
    }
    /**
     * forwardingOn records, before it writes, every value the kernel's propagation of its writes
     * changes, and restore gives each back; where forwarding is on already it writes nothing (a write
     * of IPv6's, even of the 1 there, would set default's and every device's).
     */
    @Test
    void forwardingOnRecordsWhatItsWritesChangeAndWritesNothingWhereForwardingIsOn() throws Exception {
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            Sysctls s = Sysctls.of(ns);
            String[] mixed = {
                "ipv4/conf/all/accept_redirects=0",
                "ipv4/conf/lo/forwarding=1",
                "ipv6/conf/lo/forwarding=1",
                "ipv6/conf/default/forwarding=1"
            };
            for (String kv : mixed) {
                s.set(kv.split("=")[0], kv.split("=")[1]);
            }
            String before = forwardingSysctls(ns);
            Map<String, String> overwritten = new LinkedHashMap<>();
            s.forwardingOn(overwritten);
            assertThat(s.ipv4Forwarding()).isTrue();
            assertThat(s.ipv6Forwarding()).isTrue();
            assertThat(overwritten)
                    .containsEntry("ipv4/ip_forward", "0")
                    .containsEntry("ipv4/conf/all/accept_redirects", "0")
                    .containsEntry("ipv6/conf/lo/forwarding", "1");
            s.restore(overwritten);
            assertThat(forwardingSysctls(ns)).isEqualTo(before);

            // on already: the user's lo 0 under a global 1 stays
            s.set("ipv4/ip_forward", "1");
            s.set("ipv6/conf/all/forwarding", "1");
            s.set("ipv4/conf/lo/forwarding", "0");
            s.set("ipv6/conf/lo/forwarding", "0");
            s.set("ipv6/conf/default/forwarding", "0");
            String on = forwardingSysctls(ns);
            Map<String, String> none = new LinkedHashMap<>();
            s.forwardingOn(none);
            assertThat(none).isEmpty();
            assertThat(forwardingSysctls(ns)).isEqualTo(on);
        }
    }

    private static String forwardingSysctls(NetNamespace ns) throws Exception {
        return IpIn.run(
                ns,
                "sh",
                "-c",
                "cd /proc/sys/net; grep -H . ipv4/ip_forward ipv4/conf/*/forwarding ipv4/conf/all/accept_redirects"
                        + " ipv6/conf/*/forwarding");
    }

    /**
     * A device whose name has two dots in a row ({@code a..b}, an interface name the kernel and
     * {@code Names} take) has its sysctls read and written like any other; a key with a {@code ..}
     * or {@code .} part is still refused. Failed before: "bad sysctl key" for {@code ipv6/conf/a..b/...}
     * (the check refused any {@code ..} in the key).
     */
    @Test
    void aDeviceNameWithTwoDotsInARowIsAKeyPartNotAParentDirectory() throws Exception {
        try (NetNamespace ns = NetNamespace.ephemeral();
                NetlinkHandle h = NetlinkHandle.open(ns)) {
            String br = "sa8..b";
            h.linkAdd(LinkSpec.bridge(br));
            Sysctls s = Sysctls.of(ns);
            s.ipv6Disabled(br, true);
            assertThat(s.ipv6Disabled(br)).isTrue();
            assertThat(IpIn.run(ns, "cat", "/proc/sys/net/ipv6/conf/" + br + "/disable_ipv6")
                            .trim())
                    .isEqualTo("1");
            s.ipv6Dad(List.of(br), false);
            assertThat(s.acceptDad(List.of(br))).containsEntry("ipv6/conf/" + br + "/accept_dad", "0");
            assertThat(IpIn.run(ns, "cat", "/proc/sys/net/ipv6/conf/" + br + "/accept_dad")
                            .trim())
                    .isEqualTo("0");
            for (String key : List.of("ipv6/conf/../x", "ipv6/conf/./lo/accept_dad", "ipv6//conf", "..", "ipv4/..")) {
                assertThatThrownBy(() -> s.get(key)).as(key).isInstanceOf(IllegalArgumentException.class);
            }
        }
    }
}
