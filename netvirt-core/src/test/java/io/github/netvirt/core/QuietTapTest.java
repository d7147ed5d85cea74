package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.core.testing.Topologies;
import io.github.netvirt.netlink.Sysctls;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.tap.TapDevice;
import io.github.netvirt.tap.TapTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A tap declared in the DSL is up: by default the kernel's own IPv6 frames arrive on it; a quiet one reads none. */
@RequiresRoot
class QuietTapTest {

    /** The ethertypes of the frames read from {@code tap} until it stays silent for {@code silence}. */
    private static List<String> framesUntilSilent(TapDevice tap, Duration silence) throws Exception {
        tap.setReadTimeout(silence);
        ByteBuffer b = ByteBuffer.allocateDirect(TapDevice.MAX_FRAME);
        List<String> seen = new ArrayList<>();
        while (seen.size() < 100) {
            b.clear();
            try {
                tap.read(b);
            } catch (TapTimeoutException e) {
                break;
            }
            seen.add(String.format("%02x%02x", b.get(12), b.get(13)));
        }
        return seen;
    }

    @Test
    void aQuietTapReadsNothingWhenNothingIsSentAndADefaultOneReadsTheKernelsIpv6() throws Exception {
        try (Topology t =
                Topologies.readmeQuietTap().tap("tap1").addr("10.9.1.1/24").apply()) {
            assertThat(t.link("sniffer", "tap0").isUp()).isTrue();
            assertThat(Sysctls.of(t.namespace("sniffer")).ipv6Disabled("tap0")).isTrue();
            assertThat(Sysctls.of(t.namespace("sniffer")).ipv6Disabled("tap1")).isFalse();
            assertThat(framesUntilSilent(t.tap("sniffer", "tap0"), Duration.ofMillis(1500)))
                    .as("frames on the quiet tap in 1.5 s")
                    .isEmpty();
            // the default tap: MLD reports leave the moment it is up (measured 6 frames in 3 s, all IPv6)
            assertThat(framesUntilSilent(t.tap("sniffer", "tap1"), Duration.ofMillis(2500)))
                    .as("frames on the default tap")
                    .isNotEmpty()
                    .allMatch("86dd"::equals);
            assertThat(t.toString()).contains("tap0 tap up quiet");
        }
    }

    @Test
    void quietIsForTapsOutsideTheRootNamespaceWithoutIpv6() {
        assertThat(ValidationTest.problems(
                        () -> Topology.create().ns("a").bridge("br").quiet()))
                .singleElement()
                .asString()
                .contains("quiet() applies to a tap, not a bridge");
        assertThat(ValidationTest.problems(
                        () -> Topology.create().ns("a").tap("t0").quiet().addr("fd00::1/64")))
                .singleElement()
                .asString()
                .contains("IPv6 address fd00::1/64 on a quiet tap");
        assertThat(ValidationTest.problems(
                        () -> Topology.create().root().tap("t0").quiet()))
                .singleElement()
                .asString()
                .contains("root namespace");
        assertThat(Topology.create().ns("a").tap("t0").quiet().toScript())
                .contains("echo 1 | ip netns exec a tee /proc/sys/net/ipv6/conf/t0/disable_ipv6 >/dev/null");
    }
}
