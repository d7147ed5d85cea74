package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The script writes each sysctl as apply() does, to its file under {@code /proc/sys/net} inside the
 * namespace, so that every device name the DSL accepts is exact there: {@code sysctl KEY=VALUE}
 * splits at the first {@code =} and reads {@code .} as a separator, so {@code a=b} set a key that
 * does not exist (ScriptTest runs these lines). No root, no kernel change.
 */
class ScriptSysctlTest {

    /** Devices whose names sysctl would misread, a quiet tap among them, and forwarding. */
    static TopologyBuilder odd() {
        return Topology.create()
                .prefix("sa8-")
                .ns("a")
                .veth("a=b", "b", "v.10")
                .addr("10.58.0.1/24")
                .veth("x..y", "b", "e;0")
                .tap("t=1")
                .quiet()
                .ns("b")
                .dev("v.10")
                .addr("10.58.0.2/24")
                .forwarding();
    }

    @Test
    void aQuietTapsDisableIpv6AndForwardingAreFilesWritten() {
        List<String> script = odd().toScript().lines().toList();
        assertThat(script)
                .contains("echo 1 | ip netns exec sa8-a tee /proc/sys/net/ipv6/conf/t=1/disable_ipv6 >/dev/null")
                .contains("ip netns exec sa8-b grep -qx 1 /proc/sys/net/ipv4/ip_forward"
                        + " || echo 1 | ip netns exec sa8-b tee /proc/sys/net/ipv4/ip_forward >/dev/null")
                .contains("ip netns exec sa8-b grep -qx 1 /proc/sys/net/ipv6/conf/all/forwarding"
                        + " || echo 1 | ip netns exec sa8-b tee /proc/sys/net/ipv6/conf/all/forwarding >/dev/null")
                .noneMatch(l -> l.contains("sysctl"));
    }

    /**
     * In a namespace adopted by pid the line runs there through nsenter (before: ip netns exec with
     * the topology's prefix and the logical name, a namespace that does not exist); one adopted by
     * name runs by its own name, as ip -n does (Iproute2.netnsArg).
     */
    @Test
    void aQuietTapInANamespaceAdoptedByPidIsWrittenThere() {
        long pid = ProcessHandle.current().pid();
        String script = Topology.create()
                .prefix("sa8-")
                .adoptPid("c", pid)
                .tap("t0")
                .quiet()
                .toScript();
        assertThat(script)
                .contains("echo 1 | nsenter -t " + pid + " -n tee /proc/sys/net/ipv6/conf/t0/disable_ipv6 >/dev/null")
                .doesNotContain("ip netns exec sa8-c");
    }

    @Test
    void aTopologyWithIpv6TurnsDadOffForItsNamespacesDevicesMadeAfter() {
        List<String> script = odd().ns("a")
                .dev("a=b")
                .addr("fd00:5a8::1/64")
                .toScript()
                .lines()
                .toList();
        assertThat(script)
                .contains("echo 0 | ip netns exec sa8-a tee /proc/sys/net/ipv6/conf/default/accept_dad >/dev/null")
                .contains("echo 0 | ip netns exec sa8-b tee /proc/sys/net/ipv6/conf/default/accept_dad >/dev/null")
                .noneMatch(l -> l.contains("sysctl"));
    }

    /** The change that brings IPv6 writes each device's accept_dad by its own name, quoted for the shell where needed. */
    @Test
    void theChangeThatBringsIpv6NamesEachDevicesFileExactly() {
        Plan delta = Delta.of(
                odd().plan(), odd().ns("a").dev("a=b").addr("fd00:5a8::1/64").spec());
        assertThat(delta.toScript().lines())
                .contains("echo 0 | ip netns exec sa8-a tee /proc/sys/net/ipv6/conf/default/accept_dad"
                        + " /proc/sys/net/ipv6/conf/a=b/accept_dad /proc/sys/net/ipv6/conf/x..y/accept_dad"
                        + " /proc/sys/net/ipv6/conf/t=1/accept_dad >/dev/null")
                .contains(
                        "echo 0 | ip netns exec sa8-b tee /proc/sys/net/ipv6/conf/default/accept_dad"
                                + " /proc/sys/net/ipv6/conf/v.10/accept_dad '/proc/sys/net/ipv6/conf/e;0/accept_dad' >/dev/null")
                .noneMatch(l -> l.contains("sysctl"));
    }
}
