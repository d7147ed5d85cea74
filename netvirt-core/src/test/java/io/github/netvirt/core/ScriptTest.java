package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Recipe;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.SandboxLimits;
import io.github.netvirt.netns.testing.TestNames;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** toScript() run by a shell builds the same network as the recipe, attribute for attribute. */
@RequiresRoot
class ScriptTest {

    @Test
    void seedScriptBuildsTheRecipesNetwork() {
        String recipe = Recipe.prefix();
        String ours = TestNames.unique("co") + "s-";
        try (Recipe r = Recipe.up(recipe);
                DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(ours)) {
            String script = Seeds.seed().prefix(ours).toScript();
            Reference.sh(script).ok();
            assertThat(Reference.namespaces(ours)).hasSize(3);
            String expected = Reference.stateDump(recipe);
            assertThat(expected).contains("netns bridge link br kind=bridge").contains("local=10.0.1.1/24");
            assertThat(Reference.stateDump(ours)).isEqualTo(expected);
        }
        assertThat(Reference.namespaces(recipe)).isEmpty();
        assertThat(Reference.namespaces(ours)).isEmpty();
    }

    @Test
    void namesTheShellWouldReadOtherwiseAreQuoted() {
        // the kernel takes these interface names; unquoted, sh reads ( ; $ ' as its own
        String ours = TestNames.unique("co") + "-";
        String script = TestNames.unique("co") + "-";
        TopologyBuilder b = Topology.create()
                .ns("h")
                .veth("e;0", "r", "r'h")
                .addr("10.5.0.2/24")
                .route("10.6.0.0/16", null, "e;0")
                .ns("r")
                .bridge("b(r)")
                .ports("r'h")
                .addr("10.5.0.1/24")
                .macvlan("m$v", "b(r)")
                .addr("10.5.0.3/24");
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(script);
                Topology t = b.prefix(ours).apply()) {
            Reference.sh(b.prefix(script).toScript()).ok();
            assertThat(Reference.stateDump(script))
                    .contains("link b(r) kind=bridge")
                    .contains("dst=10.6.0.0/16 dev=e;0")
                    .isEqualTo(Reference.stateDump(ours));
        }
        assertThat(Reference.namespaces(ours)).isEmpty();
    }

    @Test
    void richScriptRunsAndBuildsEveryKind() {
        SandboxLimits.assumeTunUsable(); // the script's ip tuntap opens it
        String p = TestNames.unique("co") + "x-";
        TopologyBuilder b = Seeds.everyKind().prefix(p).tap("tap0").addr("10.3.0.1/24");
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p)) {
            Reference.sh(b.toScript()).ok();
            String dump = Reference.stateDump(p);
            assertThat(dump)
                    .contains("netns h1 link eth0 kind=veth")
                    .contains("mtu=1400")
                    .contains("dst=default gateway=10.1.0.1 dev=eth0")
                    .contains("netns h2 link mv0 kind=macvlan")
                    .contains("netns h2 link vx0 kind=vxlan")
                    .contains("netns r link br0 kind=bridge admin=down")
                    .contains("netns r link tap0 kind=tun")
                    .contains("local=fd01::2/64");
            assertThat(Reference.run("ip", "netns", "exec", p + "r", "cat", "/proc/sys/net/ipv4/ip_forward")
                            .out()
                            .trim())
                    .isEqualTo("1");
        }
    }
    /**
     * Devices named with {@code =}, {@code .} and two dots in a row: the script's sysctl writes reach
     * each device's own files as apply()'s do, in the base (a quiet tap's disable_ipv6, forwarding)
     * and in the change that brings IPv6 (each device's accept_dad). Failed before: sh stopped at the
     * quiet tap's {@code sysctl -qw net/ipv6/conf/t=1/disable_ipv6=1} ("cannot stat
     * /proc/sys/net/ipv6/conf/t"), as at the change's {@code net.ipv6.conf.a=b.accept_dad=0}.
     */
    @Test
    void sysctlsOfDevicesWithEqualsAndDotsInTheirNamesAreWrittenAsApplyWritesThem() {
        SandboxLimits.assumeTunUsable(); // the quiet tap
        String ours = TestNames.unique("sa8") + "-";
        String script = TestNames.unique("sa8") + "-";
        TopologyBuilder base = ScriptSysctlTest.odd();
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(script);
                DeleteNetnsAfter ourCleanup = DeleteNetnsAfter.prefixed(ours);
                Topology t = base.prefix(ours).apply()) {
            Reference.sh(base.prefix(script).toScript()).ok();
            assertThat(sysctls(ours + "a"))
                    .containsEntry("ipv6/conf/t=1/disable_ipv6", "1")
                    .containsEntry("ipv6/conf/a=b/disable_ipv6", "0")
                    .containsEntry("ipv6/conf/x..y/accept_dad", "1")
                    .isEqualTo(sysctls(script + "a"));
            assertThat(sysctls(ours + "b"))
                    .containsEntry("ipv4/ip_forward", "1")
                    .containsEntry("ipv6/conf/v.10/accept_dad", "1")
                    .isEqualTo(sysctls(script + "b"));

            TopologyBuilder change = t.change().ns("a").dev("a=b").addr("fd00:5a8::1/64");
            String changeScript = change.toScript();
            change.apply();
            Reference.sh(changeScript.replace(ours, script)).ok();
            assertThat(sysctls(ours + "a"))
                    .containsEntry("ipv6/conf/a=b/accept_dad", "0")
                    .containsEntry("ipv6/conf/x..y/accept_dad", "0")
                    .containsEntry("ipv6/conf/t=1/accept_dad", "0")
                    .isEqualTo(sysctls(script + "a"));
            assertThat(sysctls(ours + "b"))
                    .containsEntry("ipv6/conf/v.10/accept_dad", "0")
                    .containsEntry("ipv6/conf/e;0/accept_dad", "0")
                    .isEqualTo(sysctls(script + "b"));
        }
        assertThat(Reference.namespaces(ours)).isEmpty();
        assertThat(Reference.namespaces(script)).isEmpty();
    }

    /**
     * A change's forwarding lines write a global only where it is off, as apply() does: a write of
     * IPv6's {@code all/forwarding}, even of the 1 there, sets every device's {@code forwarding}.
     * Failed before: the script's copy had {@code ipv6/conf/x0/forwarding} 1 where apply() left 0.
     */
    @Test
    void aChangesForwardingLinesLeaveEachDevicesForwardingAsApplyDoes() {
        String ours = TestNames.unique("sf") + "-";
        String script = TestNames.unique("sf") + "-";
        TopologyBuilder base = Topology.create().ns("a").bridge("x0");
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(script);
                DeleteNetnsAfter ourCleanup = DeleteNetnsAfter.prefixed(ours);
                Topology t = base.prefix(ours).apply()) {
            Reference.sh(base.prefix(script).toScript()).ok();
            for (String ns : List.of(ours + "a", script + "a")) {
                // forwarding on, but not on x0
                for (String s : List.of(
                        "net.ipv4.ip_forward=1",
                        "net.ipv4.conf.x0.forwarding=0",
                        "net.ipv6.conf.all.forwarding=1",
                        "net.ipv6.conf.x0.forwarding=0")) {
                    Reference.run("ip", "netns", "exec", ns, "sysctl", "-q", "-w", s)
                            .ok();
                }
            }
            TopologyBuilder change = t.change().ns("a").forwarding();
            String changeScript = change.toScript();
            change.apply();
            Reference.sh(changeScript.replace(ours, script)).ok();
            assertThat(sysctls(ours + "a"))
                    .containsEntry("ipv4/conf/x0/forwarding", "0")
                    .containsEntry("ipv6/conf/x0/forwarding", "0")
                    .isEqualTo(sysctls(script + "a"));
        }
        assertThat(Reference.namespaces(ours)).isEmpty();
        assertThat(Reference.namespaces(script)).isEmpty();
    }

    /** Forwarding and each device's accept_dad and disable_ipv6 in namespace {@code ns}, by /proc/sys/net key. */
    private static Map<String, String> sysctls(String ns) {
        Map<String, String> values = new TreeMap<>();
        Reference.run(
                        "ip",
                        "netns",
                        "exec",
                        ns,
                        "grep",
                        "-H",
                        "-r",
                        ".",
                        "/proc/sys/net/ipv4/ip_forward",
                        "/proc/sys/net/ipv4/conf",
                        "/proc/sys/net/ipv6/conf",
                        "--include=ip_forward",
                        "--include=forwarding",
                        "--include=accept_dad",
                        "--include=disable_ipv6")
                .out()
                .lines()
                .forEach(l -> {
                    // an interface name has no ':' and no '/'
                    String[] kv = l.split(":", 2);
                    values.put(kv[0].substring("/proc/sys/net/".length()), kv[1].trim());
                });
        return values;
    }
}
