package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.core.spec.LinkCondition;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.core.testing.Topologies;
import io.github.netvirt.tap.impair.Impairment;
import io.github.netvirt.tap.impair.Verdict;
import io.github.netvirt.tap.testing.Verdicts;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Link conditions as the builder records them, validates them and the script shows them: no kernel. */
class LinkConditionSpecTest {
    /** README.md's link-condition example: the condition is on client/eth0, whose peer is router/c0. */
    static TopologyBuilder link() {
        return Topologies.readmeLinkCondition();
    }

    @Test
    void theBuilderRecordsTheConditionOnTheEnd() {
        TopologySpec spec = link().spec();
        LinkCondition c = spec.device("client", "eth0").condition();
        assertThat(c.bitsPerSecond()).isEqualTo(10_000_000);
        assertThat(c.delay()).isEqualTo(Duration.ofMillis(40));
        assertThat(c.jitter()).isEqualTo(Duration.ofMillis(5));
        assertThat(c.loss()).isEqualTo(0.01);
        assertThat(spec.device("router", "c0").condition()).isNull();
        assertThat(c).hasToString("rate 10mbit delay 40ms 5ms loss 1%");
    }

    @Test
    void theDefaultSeedComesFromTheNamesAndAGivenOneWins() {
        long s1 = link().spec().device("client", "eth0").condition().seed();
        assertThat(link().spec().device("client", "eth0").condition().seed()).isEqualTo(s1);
        long other = Topology.create()
                .ns("client")
                .veth("eth1", "router", "c1")
                .loss(0.01)
                .ns("router")
                .spec()
                .device("client", "eth1")
                .condition()
                .seed();
        assertThat(other).isNotEqualTo(s1);
        assertThat(link().ns("client")
                        .dev("eth0")
                        .conditionSeed(99)
                        .spec()
                        .device("client", "eth0")
                        .condition()
                        .seed())
                .isEqualTo(99);
    }

    @Test
    void aConditionPutOnALiveLinkWithoutASeedGetsTheDeclaredOnesDefault() {
        // Topology.condition's path: LinkCondition.NONE.with...() has seed 0, which stands for none
        TopologySpec spec = link().spec();
        LinkCondition declared = spec.device("client", "eth0").condition();
        LinkCondition live = LinkConditions.seeded(
                spec.device("client", "eth0"),
                LinkCondition.NONE.withDelay(Duration.ofMillis(40)).withLoss(0.01));
        assertThat(live.seed()).isEqualTo(declared.seed()).isNotZero();
        assertThat(LinkConditions.seeded(spec.device("server", "eth0"), LinkCondition.NONE.withLoss(0.01))
                        .seed())
                .isNotEqualTo(live.seed())
                .isNotZero();
        assertThat(LinkConditions.seeded(
                                spec.device("client", "eth0"),
                                LinkCondition.NONE.withLoss(0.01).withSeed(7))
                        .seed())
                .isEqualTo(7);
    }

    @Test
    void theRelaysImpairmentIsTheConditionsDelayJitterAndLoss() {
        LinkCondition c = link().spec().device("client", "eth0").condition();
        assertThat(c.impairment()).isEqualTo(new Impairment(Duration.ofMillis(40), Duration.ofMillis(5), 0.01, 0, 0));
        assertThat(LinkCondition.NONE.withRate(8_000).impairment()).isEqualTo(Impairment.NONE);
    }

    /** What the relay decides for one condition: the same seed gives the same decisions frame by frame. */
    static List<Verdict> decisions(LinkCondition c, int n) {
        return Verdicts.of(c.seed(), c.impairment(), n);
    }

    @Test
    void oneSeedGivesTheSameDecisionsFrameByFrame() {
        LinkCondition c = link().spec().device("client", "eth0").condition();
        List<Verdict> first = decisions(c, 5000);
        assertThat(decisions(c, 5000)).isEqualTo(first);
        assertThat(decisions(c.withSeed(c.seed() + 1), 5000)).isNotEqualTo(first);
        assertThat(first)
                .filteredOn(v -> !v.dropped())
                .allMatch(v -> v.delayNanos() >= 35_000_000 && v.delayNanos() <= 45_000_000);
        assertThat(first.stream().filter(Verdict::dropped).count()).isBetween(25L, 75L); // 1 % of 5000
    }

    @ParameterizedTest
    @CsvSource({
        "10mbit, 10000000",
        "512kbit, 512000",
        "1gbit, 1000000000",
        "100kbps, 800000",
        "1mibit, 1048576",
        "1.5mbit, 1500000"
    })
    void ratesAreParsedAsTcWritesThem(String rate, long bitsPerSecond) {
        assertThat(LinkCondition.parseRate(rate)).isEqualTo(bitsPerSecond);
    }

    @ParameterizedTest
    @CsvSource({"10, needs a unit", "10mbits, unit", "fast, number"})
    void badRatesAreRefused(String rate, String problem) {
        assertThatThrownBy(() -> LinkCondition.parseRate(rate)).hasMessageContaining(problem);
    }

    @Test
    void aRateGivenInBitsIsRefusedOutsideTheRangeParseRateAccepts() {
        // 10 Tbit/s, the most parseRate takes, is the most withRate(long) takes too
        assertThat(LinkCondition.NONE.withRate(10_000_000_000_000L).bitsPerSecond())
                .isEqualTo(LinkCondition.parseRate("10tbit"));
        assertThatThrownBy(() -> LinkCondition.parseRate("10.1tbit")).hasMessageContaining("10 Tbit/s");
        assertThatThrownBy(() -> LinkCondition.NONE.withRate(10_000_000_000_001L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10 Tbit/s");
        assertThatThrownBy(() -> LinkCondition.NONE.withRate(Long.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10 Tbit/s");
        assertThatThrownBy(() -> LinkCondition.NONE.withRate(7)).hasMessageContaining("8 bit/s");
        assertThatThrownBy(() -> LinkCondition.NONE.withRate(-1)).hasMessageContaining("8 bit/s");
    }

    /** Namespace a with veth end x, its current device, whose peer y goes to namespace b. */
    static TopologyBuilder vethX() {
        return Topology.create().ns("a").veth("x", "b", "y");
    }

    /** A description with a bad condition, and what its problems say. */
    static Stream<Arguments> badConditions() {
        return Stream.of(
                bad(
                        "on a bridge",
                        () -> Topology.create().ns("a").bridge("br").delay(Duration.ofMillis(5)),
                        "a/br",
                        "apply to a veth end, not a bridge"),
                bad("on both ends", () -> vethX().loss(0.1).ns("b").dev("y").loss(0.2), "both ends"),
                bad("loss and rate out of range", () -> vethX().loss(1.5).rate("fast"), "loss(1.5)", "rate(\"fast\")"),
                bad("a negative delay", () -> vethX().delay(Duration.ofMillis(-1)), "delay must be in [0, 60 s)"),
                bad("no device", () -> Topology.create().ns("a").delay(Duration.ofMillis(1)), "no current device"));
    }

    private static Arguments bad(String label, Supplier<TopologyBuilder> b, String... expected) {
        return Arguments.of(label, b, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void badConditions(String label, Supplier<TopologyBuilder> b, String[] expected) {
        ValidationTest.assertReported(ValidationTest.problems(b), expected);
    }

    @Test
    void theScriptShowsTheCondition() {
        String script = link().named().prefix("p-").plan().toScript();
        if (Boolean.FALSE.equals(ConditionedLink.netem())) { // a test before found this kernel without netem
            assertThat(script).contains("#   this kernel has no netem: apply() relays");
            return;
        }
        assertThat(script)
                .contains(
                        "# link condition client/eth0 <-> router/c0, each direction: rate 10mbit delay 40ms 5ms loss 1%")
                .contains("#   tc -n p-client qdisc add dev eth0 root netem delay 40ms 5ms loss 1%")
                .contains("#   tc -n p-router qdisc add dev c0 root netem")
                .contains("without netem: a seeded relay");
    }

    @Test
    void theScriptOfADelayAloneHasASpaceAfterNetemAndNamesNamespacesAsTheRestOfTheScript() {
        String script = Topology.create()
                .prefix("q-")
                .adoptPid("c", ProcessHandle.current().pid()) // the plan only: never opened
                .veth("x", "b", "y")
                .delay(Duration.ofMillis(5))
                .root()
                .veth("h0", "b", "h1")
                .rate("8mbit")
                .ns("b")
                .plan()
                .toScript();
        if (!Boolean.FALSE.equals(ConditionedLink.netem())) {
            assertThat(script)
                    .contains("#   nsenter -t " + ProcessHandle.current().pid()
                            + " -n tc qdisc add dev x root netem delay 5ms\n")
                    .contains("#   tc -n q-b qdisc add dev y root netem delay 5ms\n");
        }
        assertThat(script)
                // a rate alone is a command, not a comment: tc makes the same tbf
                .contains("\ntc qdisc add dev h0 root tbf rate 8000000bit")
                .contains("\ntc -n q-b qdisc add dev h1 root tbf rate 8000000bit")
                .doesNotContain("netemdelay")
                .doesNotContain("tc -n c ");
    }

    /** The script of a veth with {@code rate} on end a/x. */
    private static String scriptWithRate(String rate) {
        return vethX().rate(rate).ns("b").plan().toScript();
    }

    @Test
    void theScriptShowsTheTbfThatIsApplied() {
        // the burst is 10 ms of traffic, at least 16 KiB: as ConditionedLink applies it (TbfSpec.rateWithDefaults)
        assertThat(scriptWithRate("100mbit"))
                .contains("qdisc add dev x root tbf rate 100000000bit burst 125000 latency 50ms");
        assertThat(scriptWithRate("10mbit"))
                .contains("qdisc add dev x root tbf rate 10000000bit burst 16384 latency 50ms");
    }

    @Test
    void aFastRatesScriptMakesTheTbfThatIsApplied() {
        // recorded on kernel 6.18 with tc 6.1 (tc -raw -j qdisc show): "tbf rate 1000000000000bit burst
        // 67108864 latency 50ms" makes limit 2022141568 (rate x latency + burst = 6317108864, wrapped at
        // 2^32 by tc), while netvirt applies limit 4294967295; "... limit 4294967295" makes netvirt's tbf
        assertThat(scriptWithRate("1tbit"))
                .contains("qdisc add dev x root tbf rate 1000000000000bit burst 67108864 limit 4294967295\n")
                .doesNotContain("latency 50ms");
        // below the u32, tc and netvirt make the same limit from the latency (400gbit: 2567108864)
        assertThat(scriptWithRate("400gbit"))
                .contains("qdisc add dev x root tbf rate 400000000000bit burst 67108864 latency 50ms\n");
    }
}
