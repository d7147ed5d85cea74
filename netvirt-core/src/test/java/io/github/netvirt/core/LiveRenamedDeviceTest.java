package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A device the topology made in the root or an adopted namespace is known by the ifindex the kernel
 * told when it was made, for the topology's life: when someone renames it and gives its name to
 * another device of the topology, a change's removeDevice or removeAddr and down/up act on the
 * device itself, under its new name, and leave the one that took its name alone.
 */
@RequiresRoot
class LiveRenamedDeviceTest {
    private final String p = TestNames.unique("gT") + "-";
    private final String adopted = p + "ad";
    /** A prefix of the root-namespace devices, unique to the test. */
    private final String h = TestNames.unique("gT").replace("-", "");

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    /** Renames {@code from} (in namespace {@code ns}, null: the root) {@code to}, setting it down for that and up again. */
    private static void rename(String ns, String from, String to) {
        ip(ns, "link", "set", from, "down");
        ip(ns, "link", "set", from, "name", to);
        ip(ns, "link", "set", to, "up");
    }

    @Test
    void removeDeviceDeletesTheRenamedDeviceNotTheOneThatTookItsName() {
        String a = h + "a";
        String b = h + "b";
        String x = h + "x";
        try {
            try (Topology t = Topology.create()
                    .prefix(p)
                    .ephemeral()
                    .root()
                    .bridge(a)
                    .bridge(b)
                    .apply()) {
                int ia = index(null, a);
                int ib = index(null, b);
                rename(null, a, x);
                rename(null, b, a);
                t.change().root().removeDevice(a).apply();
                assertThat(Reference.rootLinks(h))
                        .as("the topology's " + a + " (renamed " + x + ") deleted, its " + b + " (renamed " + a
                                + ") left")
                        .containsExactly(a);
                assertThat(index(null, a))
                        .as("the device named " + a)
                        .isEqualTo(ib)
                        .isNotEqualTo(ia);
            }
            assertThat(Reference.rootLinks(h))
                    .as("the topology's " + b + ", named " + a + ", after close")
                    .isEmpty();
        } finally {
            for (String d : List.of(a, b, x)) {
                Ip.run("link", "del", d);
            }
        }
        assertThat(Reference.rootLinks(h)).isEmpty();
    }

    @Test
    void removeDeviceDeletesTheDeviceRenamedAway() {
        String a = h + "a";
        String k = h + "k";
        String x = h + "x";
        try {
            try (Topology t =
                    Topology.create().prefix(p).ephemeral().root().bridge(k).apply()) {
                t.change().root().bridge(a).apply(); // known by the index a change learnt
                rename(null, a, x);
                t.change().root().removeDevice(a).apply();
                assertThat(Reference.rootLinks(h))
                        .as("the topology's " + a + ", renamed " + x + ", deleted by the change")
                        .containsExactly(k);
            }
            assertThat(Reference.rootLinks(h)).as("after close").isEmpty();
        } finally {
            for (String d : List.of(a, k, x)) {
                Ip.run("link", "del", d);
            }
        }
        assertThat(Reference.rootLinks(h)).isEmpty();
    }

    @Test
    void downAndUpActOnTheRenamedDevice() {
        Ip.ok("netns", "add", adopted);
        try (Topology t = Topology.create()
                .prefix(p)
                .adopt("app", adopted)
                .bridge("gTa")
                .bridge("gTb")
                .apply()) {
            rename(adopted, "gTa", "gTx");
            rename(adopted, "gTb", "gTa");
            t.down("app", "gTa");
            assertThat(flags(adopted, "gTx"))
                    .as("the topology's gTa, renamed gTx")
                    .doesNotContain("\"UP\"");
            assertThat(flags(adopted, "gTa"))
                    .as("the topology's gTb, named gTa")
                    .contains("\"UP\"");
            t.up("app", "gTa");
            assertThat(flags(adopted, "gTx"))
                    .as("the topology's gTa, renamed gTx")
                    .contains("\"UP\"");
            t.down("app", "gTb");
            assertThat(flags(adopted, "gTa"))
                    .as("the topology's gTb, named gTa")
                    .doesNotContain("\"UP\"");
            assertThat(flags(adopted, "gTx"))
                    .as("the topology's gTa, renamed gTx")
                    .contains("\"UP\"");
            t.up("app", "gTb");
            assertThat(flags(adopted, "gTa"))
                    .as("the topology's gTb, named gTa")
                    .contains("\"UP\"");
        }
        assertThat(Ip.ok("-n", adopted, "-j", "link", "show"))
                .contains("\"lo\"")
                .doesNotContain("gTa")
                .doesNotContain("gTb")
                .doesNotContain("gTx");
    }

    @Test
    void removeAddrDeletesFromTheRenamedDevice() {
        Ip.ok("netns", "add", adopted);
        try (Topology t = Topology.create()
                .prefix(p)
                .adopt("app", adopted)
                .bridge("gTa")
                .addr("10.9.5.1/24")
                .bridge("gTb")
                .addr("10.9.6.1/24")
                .apply()) {
            rename(adopted, "gTa", "gTx");
            rename(adopted, "gTb", "gTa");
            ip(adopted, "address", "add", "10.9.5.1/24", "dev", "gTa");
            t.change().ns("app").dev("gTa").removeAddr("10.9.5.1/24").apply();
            assertThat(ipv4(adopted, "gTx"))
                    .as("the topology's gTa, renamed gTx")
                    .doesNotContain("10.9.5.1/24");
            assertThat(ipv4(adopted, "gTa"))
                    .as("the topology's gTb, named gTa, with the address someone added")
                    .contains("10.9.6.1/24")
                    .contains("10.9.5.1/24");
        }
        assertThat(Ip.ok("-n", adopted, "-j", "link", "show"))
                .contains("\"lo\"")
                .doesNotContain("gTa")
                .doesNotContain("gTb")
                .doesNotContain("gTx");
    }

    /**
     * Whether a primary address may go while its subnet's secondary stays is read from the renamed
     * device's promote_secondaries, not from the one that took its name: with the topology's gTa
     * (10.9.7.1 primary, 10.9.7.2 secondary) renamed gTx and its promote_secondaries off, and the
     * device now named gTa promoting, removing 10.9.7.1 is refused (the kernel would take 10.9.7.2 with it).
     */
    @Test
    void removeAddrReadsThePromotionOfTheRenamedDevice() {
        Ip.ok("netns", "add", adopted);
        try (Topology t = Topology.create()
                .prefix(p)
                .adopt("app", adopted)
                .bridge("gTa")
                .addr("10.9.7.1/24")
                .addr("10.9.7.2/24")
                .bridge("gTb")
                .apply()) {
            rename(adopted, "gTa", "gTx");
            rename(adopted, "gTb", "gTa");
            Ip.ok("netns", "exec", adopted, "sysctl", "-q", "-w", "net.ipv4.conf.gTa.promote_secondaries=1");
            Ip.ok("netns", "exec", adopted, "sysctl", "-q", "-w", "net.ipv4.conf.gTx.promote_secondaries=0");
            TopologyBuilder change = t.change().ns("app").dev("gTa").removeAddr("10.9.7.1/24");
            assertThatThrownBy(change::apply)
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("net.ipv4.conf.gTx.promote_secondaries");
            assertThat(ipv4(adopted, "gTx")).contains("10.9.7.1/24").contains("10.9.7.2/24");
        }
    }

    private static String ip(String ns, String... args) {
        if (ns == null) {
            return Ip.ok(args);
        }
        String[] all = new String[args.length + 2];
        all[0] = "-n";
        all[1] = ns;
        System.arraycopy(args, 0, all, 2, args.length);
        return Ip.ok(all);
    }

    private static int index(String ns, String dev) {
        Matcher m = Pattern.compile("\"ifindex\":(\\d+)").matcher(ip(ns, "-j", "link", "show", "dev", dev));
        assertThat(m.find()).as("ifindex of " + dev).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static String flags(String ns, String dev) {
        Matcher m = Pattern.compile("\"flags\":\\[[^\\]]*\\]").matcher(ip(ns, "-j", "link", "show", "dev", dev));
        assertThat(m.find()).as("flags of " + dev).isTrue();
        return m.group();
    }

    private static String ipv4(String ns, String dev) {
        return ip(ns, "-4", "-o", "address", "show", "dev", dev);
    }
}
