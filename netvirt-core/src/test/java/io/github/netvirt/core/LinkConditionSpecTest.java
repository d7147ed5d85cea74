package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.core.spec.LinkCondition;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.tap.impair.Impairer;
import io.github.netvirt.tap.impair.Impairment;
import io.github.netvirt.tap.impair.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Link conditions as the builder records them, validates them and the script shows them: no kernel. */
class LinkConditionSpecTest {
    static TopologyBuilder link() {
        return Topology.create()
                .ns("client")
                .veth("eth0", "router", "c0")
                .addr("10.1.0.2/24")
                .rate("10mbit")
                .delay(Duration.ofMillis(40))
                .jitter(Duration.ofMillis(5))
                .loss(0.01)
                .ns("router")
                .dev("c0")
                .addr("10.1.0.1/24");
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

    /** What the relay decides for one condition: the same seed gives the same decisions frame by frame. */
    static List<Verdict> decisions(LinkCondition c, int n) {
        Impairer i = new Impairer(
                c.seed(), Impairment.none().withDelay(c.delay(), c.jitter()).withLoss(c.loss()));
        List<Verdict> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            out.add(i.next());
        }
        return out;
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

    @Test
    void ratesAreParsedAsTcWritesThem() {
        assertThat(LinkCondition.parseRate("10mbit")).isEqualTo(10_000_000);
        assertThat(LinkCondition.parseRate("512kbit")).isEqualTo(512_000);
        assertThat(LinkCondition.parseRate("1gbit")).isEqualTo(1_000_000_000);
        assertThat(LinkCondition.parseRate("100kbps")).isEqualTo(800_000);
        assertThat(LinkCondition.parseRate("1mibit")).isEqualTo(1 << 20);
        assertThat(LinkCondition.parseRate("1.5mbit")).isEqualTo(1_500_000);
        assertThatThrownBy(() -> LinkCondition.parseRate("10")).hasMessageContaining("needs a unit");
        assertThatThrownBy(() -> LinkCondition.parseRate("10mbits")).hasMessageContaining("unit");
        assertThatThrownBy(() -> LinkCondition.parseRate("fast")).hasMessageContaining("number");
    }

    @Test
    void badConditionsAreReportedBeforeTheKernelIsTouched() {
        assertThatThrownBy(() -> Topology.create()
                        .ns("a")
                        .bridge("br")
                        .delay(Duration.ofMillis(5))
                        .spec())
                .isInstanceOf(InvalidTopologyException.class)
                .hasMessageContaining("a/br")
                .hasMessageContaining("apply to a veth end, not a bridge");
        assertThatThrownBy(() -> Topology.create()
                        .ns("a")
                        .veth("x", "b", "y")
                        .loss(0.1)
                        .ns("b")
                        .dev("y")
                        .loss(0.2)
                        .spec())
                .isInstanceOf(InvalidTopologyException.class)
                .hasMessageContaining("both ends");
        assertThatThrownBy(() -> Topology.create()
                        .ns("a")
                        .veth("x", "b", "y")
                        .loss(1.5)
                        .rate("fast")
                        .spec())
                .isInstanceOf(InvalidTopologyException.class)
                .hasMessageContaining("loss(1.5)")
                .hasMessageContaining("rate(\"fast\")");
        assertThatThrownBy(() -> Topology.create()
                        .ns("a")
                        .veth("x", "b", "y")
                        .delay(Duration.ofMillis(-1))
                        .spec())
                .isInstanceOf(InvalidTopologyException.class)
                .hasMessageContaining("delay must be in [0, 60 s)");
        assertThatThrownBy(() ->
                        Topology.create().ns("a").delay(Duration.ofMillis(1)).spec())
                .isInstanceOf(InvalidTopologyException.class)
                .hasMessageContaining("no current device");
    }

    @Test
    void theScriptShowsTheCondition() {
        String script = link().prefix("p-").plan().toScript();
        assertThat(script)
                .contains(
                        "# link condition client/eth0 <-> router/c0, each direction: rate 10mbit delay 40ms 5ms loss 1%")
                .contains("#   tc -n p-client qdisc add dev eth0 root netem delay 40ms 5ms loss 1%")
                .contains("#   tc -n p-router qdisc add dev c0 root netem")
                .contains("without netem: a seeded relay");
    }

    @Test
    void theScriptShowsTheTbfThatIsApplied() {
        // the burst is 10 ms of traffic, at least 16 KiB: as ConditionedLink applies it (TbfSpec.rateWithDefaults)
        assertThat(Topology.create()
                        .ns("a")
                        .veth("x", "b", "y")
                        .rate("100mbit")
                        .ns("b")
                        .plan()
                        .toScript())
                .contains("qdisc add dev x root tbf rate 100000000bit burst 125000 latency 50ms");
        assertThat(Topology.create()
                        .ns("a")
                        .veth("x", "b", "y")
                        .rate("10mbit")
                        .ns("b")
                        .plan()
                        .toScript())
                .contains("qdisc add dev x root tbf rate 10000000bit burst 16384 latency 50ms");
    }
}
