package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.Link;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.Sandboxed;
import io.github.netvirt.netns.testing.TestNames;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A veth to the root namespace is made from its end in the topology's namespace; its root end joins
 * a root bridge by a step of its own, after the bridge, whichever is declared first. No address in
 * the root namespace: the bridge carries none.
 */
@RequiresRoot
class RootBridgePortsTest {

    private final String p = TestNames.unique("rb") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    @Test
    void theSeedWithTheRootAsItsBridgeNamespaceJoinsTheRootEndsToTheBridge() {
        String host = TestNames.unique("rb").replace("-", "");
        try (Topology t = Topology.create()
                .prefix(p)
                .ns("net0")
                .veth("eth0", Topology.ROOT, host + "0")
                .addr("10.237.0.1/24")
                .ns("net1")
                .veth("eth0", Topology.ROOT, host + "1")
                .addr("10.237.0.2/24")
                .root()
                .bridge(host + "b")
                .ports(host + "0", host + "1")
                .apply()) {
            Link bridge = t.link(Topology.ROOT, host + "b");
            for (String end : new String[] {host + "0", host + "1"}) {
                Link l = t.link(Topology.ROOT, end); // the topology's: its device group
                assertThat(l.master()).as(end).hasValue(bridge.index());
                assertThat(l.isUp()).as(end).isTrue();
            }
            assertThat(t.link("net0", "eth0").index()).isGreaterThan(Ifindexes.KERNELS);
        }
        assertThat(Reference.rootLinks(host)).isEmpty();
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    @Test
    void aChangeDoesNotJoinANewRootEndToSomeoneElsesBridgeUnderTheTopologysBridgesName() throws Exception {
        String host = TestNames.unique("rb").replace("-", "");
        try {
            try (Topology t = rootBridgeAndA(host).apply()) {
                Ip.ok("link", "del", host + "b");
                Ip.ok("link", "add", host + "b", "type", "bridge"); // someone else's, named like ours

                assertThatThrownBy(() -> t.change()
                                .root()
                                .veth(host + "0", "a", "eth0")
                                .master(host + "b")
                                .down()
                                .apply())
                        .hasStackTraceContaining("not this topology's");

                assertThat(Ip.ok("-o", "link", "show", "master", host + "b")).isEmpty();
                assertThat(Reference.rootLinks(host)).containsExactly(host + "b");
                assertThat(Reference.ifindexes(t, "a")).containsExactly(1);
            }
            assertThat(Reference.rootLinks(host)).containsExactly(host + "b");
        } finally {
            Ip.run("link", "del", host + "b");
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    @Test
    void aChangeRefusedForANameSomeoneTookInTheTopologysNamespaceNamesThatName() throws Exception {
        String host = TestNames.unique("rb").replace("-", "");
        try (Topology t = rootBridgeAndA(host).apply()) {
            assertThat(t.namespace("a")
                            .exec("ip", "link", "add", "eth5", "type", "bridge")
                            .exitCode())
                    .isZero(); // someone else's, in the topology's namespace

            assertThatThrownBy(() -> t.change()
                            .root()
                            .veth(host + "0", "a", "eth5")
                            .down()
                            .apply())
                    .isInstanceOf(ApplyException.class)
                    .hasMessageContaining("EEXIST")
                    .hasMessageContaining("device a/eth5 is someone else's")
                    .hasMessageNotContaining("free again");

            assertThat(Reference.rootLinks(host)).containsExactly(host + "b");
        }
        assertThat(Reference.rootLinks(host)).isEmpty();
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    @Test
    void itsScriptRunByAShellPutsTheRootEndsInTheShellsOwnNamespace() {
        String host = TestNames.unique("rb").replace("-", "");
        String script = oneRootPort(host, "10.237.1.1/24").toScript();
        assertThat(script).contains("peer name " + host + "0 netns $$");
        try {
            Reference.sh(script).ok();
            assertThat(Ip.ok("-o", "link", "show", "master", host + "b")).contains(host + "0@");
        } finally {
            Ip.run("link", "del", host + "0"); // at once, where the namespace's end goes with it later
            Ip.run("netns", "del", p + "net0");
            Ip.run("link", "del", host + "b");
        }
        assertThat(Reference.rootLinks(host)).isEmpty();
    }

    @Test
    void itsScriptPutsTheRootEndsInTheShellsNamespaceInASandboxToo() {
        // bin/netvirt-run: a network namespace of its own, the host's pids; pid 1's namespace is the host's
        String host = TestNames.unique("rb").replace("-", "");
        String script = oneRootPort(host, "10.237.2.1/24").toScript();

        Ip.Result r = Ip.exec(List.of(
                Sandboxed.launcher().toString(), "sh", "-c", script + "ip -o link show master " + host + "b\n"));

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains(host + "0@");
        assertThat(Reference.rootLinks(host)).isEmpty(); // all of it in the sandbox, gone with it
    }

    /** net0's eth0 a port of root bridge HOSTb, down, as its root end HOST0; net0 has {@code address}. */
    private TopologyBuilder oneRootPort(String host, String address) {
        return Topology.create()
                .prefix(p)
                .ns("net0")
                .veth("eth0", Topology.ROOT, host + "0")
                .addr(address)
                .root()
                .bridge(host + "b")
                .down()
                .ports(host + "0");
    }

    /** Root bridge HOSTb, down, and an empty namespace a: a topology a change may add root devices to. */
    private TopologyBuilder rootBridgeAndA(String host) {
        return Topology.create().prefix(p).root().bridge(host + "b").down().ns("a");
    }
}
