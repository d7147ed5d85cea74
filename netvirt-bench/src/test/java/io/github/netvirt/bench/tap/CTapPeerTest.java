package io.github.netvirt.bench.tap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.bench.Stats;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The C peer, peers/tap-peer.c: its output as printed on this machine, and a short real run. */
class CTapPeerTest {
    static final String OUTPUT = String.join(
            "\n",
            "# tap-peer: private namespace, bridge tpbr, taps tp0 -> tp1, 1.00 s per measurement, window 256, 2 CPUs",
            "result size=64 paced=no written_fps=234048 read_fps=115157 loss_pct=50.80",
            "result size=64 paced=yes written_fps=32448 read_fps=32448 loss_pct=0.00",
            "result size=1500 paced=no written_fps=53184 read_fps=33912 loss_pct=36.24",
            "result size=1500 paced=yes written_fps=39872 read_fps=39872 loss_pct=0.00",
            "result size=64 paced=no written_fps=70000 read_fps=65000 loss_pct=7.14");

    @Test
    void readsTheReadRateOfEveryMeasurement() {
        Map<String, Stats> m = CTapPeer.parse(OUTPUT);
        assertThat(m).containsOnlyKeys(CTapPeer.keys().toArray(new String[0]));
        assertThat(m.get("64").count()).isEqualTo(2);
        assertThat(m.get("64").min()).isEqualTo(65000.0);
        assertThat(m.get("64").max()).isEqualTo(115157.0);
        assertThat(m.get("64-paced").median()).isEqualTo(32448.0);
        assertThat(m.get("1500").median()).isEqualTo(33912.0);
    }

    @Test
    @RequiresRoot
    void theProgramBuildsAndMovesFramesInEveryMode() throws Exception {
        // the C peer is optional for the benchmark (it says "c: skipped" without a compiler)
        Assumptions.assumeTrue(
                CTapPeer.compiler().isPresent(), "SKIPPED: no C compiler (gcc) to build peers/tap-peer.c");
        StringBuilder log = new StringBuilder();
        Map<String, Stats> m = CTapPeer.run(0.2, log);
        assertThat(m).as(log.toString()).containsOnlyKeys(CTapPeer.keys().toArray(new String[0]));
        assertThat(m.values()).as(log.toString()).allMatch(s -> s.count() == 1 && s.min() > 0);
        assertThat(log.toString()).startsWith("# tap-peer: private namespace");
    }
}
