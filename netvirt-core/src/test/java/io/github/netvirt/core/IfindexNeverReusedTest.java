package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * netvirt knows the devices it made by namespace and ifindex (a link cut's record, link conditions,
 * routes' output devices, the crash record): a device a change makes never gets the ifindex of one
 * the topology made in that namespace before, even when the kernel chooses it (it chooses from just
 * above the last index it chose itself, not above those requested explicitly). Taps too
 * ({@link TapIfindexTest}).
 */
@RequiresRoot
class IfindexNeverReusedTest {
    private static final Pattern LINK = Pattern.compile("\"ifindex\":(\\d+),[^{}]*?\"ifname\":\"([^\"]+)\"");

    private final String p = TestNames.unique("fl") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    @Test
    void aDeviceMadeAgainUnderTheSameNameGetsANewIfindex() throws Exception {
        try (Topology t = Topology.create()
                .prefix(p)
                .ns("a")
                .veth("eth0", "b", "eth0")
                .addr("10.9.0.1/24")
                .ns("b")
                .dev("eth0")
                .addr("10.9.0.2/24")
                .apply()) {
            List<Integer> usedA = new ArrayList<>(indexes(t, "a"));
            List<Integer> usedB = new ArrayList<>(indexes(t, "b"));
            int oldA = index(t, "a", "eth0");
            int oldB = index(t, "b", "eth0");

            t.change().ns("b").removeDevice("eth0").apply();
            assertThat(indexes(t, "b")).as("b after the removal").containsExactly(1);

            t.change()
                    .ns("b")
                    .veth("eth0", "a", "eth0")
                    .addr("10.9.0.22/24")
                    .down()
                    .apply();

            assertThat(index(t, "b", "eth0"))
                    .as("the new b/eth0")
                    .isNotEqualTo(oldB)
                    .isNotIn(usedB);
            assertThat(index(t, "a", "eth0"))
                    .as("the new a/eth0")
                    .isNotEqualTo(oldA)
                    .isNotIn(usedA);
            assertThat(t.link("b", "eth0").index()).isEqualTo(index(t, "b", "eth0"));
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    @Test
    void aBridgeAChangeMakesGetsNoIfindexOfARemovedDevice() throws Exception {
        try (Topology t =
                Topology.create().prefix(p).ns("a").bridge("br0").bridge("br1").apply()) {
            List<Integer> used = new ArrayList<>(indexes(t, "a"));
            t.change().ns("a").removeDevice("br0").removeDevice("br1").apply();
            t.change().ns("a").bridge("br2").apply();

            assertThat(index(t, "a", "br2")).isNotIn(used);
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    @Test
    void aChangeNumbersAboveADeviceSomeoneElseMadeWhenIndex2IsFree() throws Exception {
        // the tap takes 2, the bridge 3 (netvirt's choices, below the kernel's notice); once the tap is
        // removed, a veth someone else makes there gets the kernel's 2 and 4, the latter above netvirt's mark
        try (Topology t =
                Topology.create().prefix(p).ns("a").tap("t0").bridge("br0").apply()) {
            t.change().ns("a").removeDevice("t0").apply();
            assertThat(t.namespace("a")
                            .exec("ip", "link", "add", "xv0", "type", "veth", "peer", "name", "xv1")
                            .exitCode())
                    .isZero();
            List<Integer> used = new ArrayList<>(indexes(t, "a"));

            t.change().ns("a").bridge("br1").apply();

            assertThat(index(t, "a", "br1")).isNotIn(used);
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    /** The ifindexes of namespace {@code ns}'s links, as {@code ip -j link} lists them. */
    private static List<Integer> indexes(Topology t, String ns) throws Exception {
        List<Integer> all = new ArrayList<>();
        Matcher m = LINK.matcher(t.namespace(ns).exec("ip", "-j", "link").stdout());
        while (m.find()) {
            all.add(Integer.parseInt(m.group(1)));
        }
        return all;
    }

    private static int index(Topology t, String ns, String dev) throws Exception {
        Matcher m = LINK.matcher(t.namespace(ns).exec("ip", "-j", "link").stdout());
        while (m.find()) {
            if (m.group(2).equals(dev)) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("no " + dev + " in " + ns);
    }
}
