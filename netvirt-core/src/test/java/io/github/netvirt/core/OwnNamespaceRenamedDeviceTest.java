package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.NoSuchElementException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * In a namespace the topology made, someone else ({@code ip -n NS}, {@code ip netns exec}) renames a
 * device of the topology and makes a device of their own under its name: down/up, link, a change's
 * removeDevice, removeAddr and what a change adds to the device act on the topology's device, under
 * its new name, by the ifindex the topology chose for it; the other device is left alone.
 */
@RequiresRoot
class OwnNamespaceRenamedDeviceTest {
    private final String p = TestNames.unique("gO") + "-";
    private final String a = p + "a";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    /** Renames the topology's {@code from} in namespace {@code a} {@code to} and makes a bridge of someone else's named {@code from}. */
    private void renameAndTake(String from, String to) {
        ip("link", "set", "dev", from, "down");
        ip("link", "set", "dev", from, "name", to);
        ip("link", "set", "dev", to, "up");
        ip("link", "add", "name", from, "type", "bridge");
        ip("link", "set", "dev", from, "up");
    }

    @Test
    void downUpAndLinkActOnTheRenamedDevice() {
        try (Topology t = Topology.create()
                .prefix(p)
                .ns("a")
                .veth("eth0", "b", "eth0")
                .addr("10.61.0.1/24")
                .ns("b")
                .dev("eth0")
                .addr("10.61.0.2/24")
                .apply()) {
            int ours = index("eth0");
            renameAndTake("eth0", "eth9");
            assertThat(t.link("a", "eth0").index()).as("t.link(a, eth0)").isEqualTo(ours);
            t.down("a", "eth0");
            assertThat(flags("eth9")).as("the topology's eth0, renamed eth9").doesNotContain("\"UP\"");
            assertThat(flags("eth0")).as("someone else's bridge named eth0").contains("\"UP\"");
            t.up("a", "eth0");
            assertThat(flags("eth9")).as("the topology's eth0, renamed eth9").contains("\"UP\"");
        }
    }

    @Test
    void removeDeviceAndRemoveAddrLeaveTheDeviceThatTookTheName() {
        try (Topology t = Topology.create()
                .prefix(p)
                .ns("a")
                .veth("eth0", "b", "eth0")
                .addr("10.61.0.1/24")
                .ns("b")
                .dev("eth0")
                .addr("10.61.0.2/24")
                .apply()) {
            renameAndTake("eth0", "eth9");
            ip("address", "add", "10.61.0.1/24", "dev", "eth0");
            t.change().ns("a").dev("eth0").removeAddr("10.61.0.1/24").apply();
            assertThat(ipv4("eth9")).as("the topology's eth0, renamed eth9").doesNotContain("10.61.0.1/24");
            assertThat(ipv4("eth0"))
                    .as("someone else's bridge named eth0, with its own address")
                    .contains("10.61.0.1/24");
            t.change().ns("a").removeDevice("eth0").apply();
            assertThat(Ip.run("-n", a, "link", "show", "dev", "eth9").exitCode())
                    .as("the topology's eth0, renamed eth9, removed by the change")
                    .isNotZero();
            assertThat(flags("eth0")).as("someone else's bridge named eth0").contains("\"UP\"");
            assertThat(Ip.ok("-n", p + "b", "-o", "link", "show"))
                    .as("the veth's other end went with it")
                    .doesNotContain("eth0");
        }
    }

    @Test
    void aChangeAddsToTheRenamedBridgeNotTheOneThatTookItsName() {
        try (Topology t = Topology.create()
                .prefix(p)
                .ns("a")
                .bridge("sw")
                .ports("p1")
                .veth("p1", "b", "eth0")
                .ns("b")
                .dev("eth0")
                .addr("10.62.0.2/24")
                .apply()) {
            int ours = index("sw");
            renameAndTake("sw", "swX");
            t.change()
                    .ns("a")
                    .dev("sw")
                    .addr("10.62.0.1/24")
                    .ports("p2")
                    .veth("p2", "c", "eth0")
                    .ns("c")
                    .dev("eth0")
                    .addr("10.62.0.3/24")
                    .apply();
            assertThat(ipv4("swX")).as("the topology's sw, renamed swX").contains("10.62.0.1/24");
            assertThat(ipv4("sw")).as("someone else's bridge named sw").isEmpty();
            assertThat(ip("-j", "link", "show", "dev", "p2"))
                    .as("the new port's master")
                    .contains("\"master\":\"swX\"");
            assertThat(ip("-o", "link", "show", "master", "sw"))
                    .as("ports of someone else's sw")
                    .isEmpty();
            assertThat(index("swX")).isEqualTo(ours);
        }
    }

    /** The index alone proves nothing once someone deleted the device and made one of theirs at it (ip link add ... index N). */
    @Test
    void aDeviceOfAnotherKindAtTheIndexOfOneSomeoneDeletedIsNotTheTopologys() {
        try (Topology t = Topology.create()
                .prefix(p)
                .ns("a")
                .veth("eth0", "b", "eth0")
                .addr("10.61.0.1/24")
                .ns("b")
                .dev("eth0")
                .addr("10.61.0.2/24")
                .apply()) {
            int ours = index("eth0");
            ip("link", "del", "dev", "eth0");
            ip("link", "add", "name", "theirs", "index", Integer.toString(ours), "type", "bridge");
            ip("link", "set", "dev", "theirs", "up");
            assertThatThrownBy(() -> t.down("a", "eth0"))
                    .isInstanceOf(NoSuchElementException.class)
                    .hasMessageContaining("theirs");
            assertThat(flags("theirs")).as("someone else's bridge at the index").contains("\"UP\"");
            t.change().ns("a").removeDevice("eth0").apply();
            assertThat(flags("theirs")).as("someone else's bridge at the index").contains("\"UP\"");
        }
    }

    private String ip(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "-n";
        all[1] = a;
        System.arraycopy(args, 0, all, 2, args.length);
        return Ip.ok(all);
    }

    private int index(String dev) {
        Matcher m = Pattern.compile("\"ifindex\":(\\d+)").matcher(ip("-j", "link", "show", "dev", dev));
        assertThat(m.find()).as("ifindex of " + dev).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private String flags(String dev) {
        Matcher m = Pattern.compile("\"flags\":\\[[^\\]]*\\]").matcher(ip("-j", "link", "show", "dev", dev));
        assertThat(m.find()).as("flags of " + dev).isTrue();
        return m.group();
    }

    private String ipv4(String dev) {
        return ip("-4", "-o", "address", "show", "dev", dev);
    }
}
