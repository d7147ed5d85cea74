package io.github.netvirt.bench.tap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.RequiresRoot;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The C peer, peers/tap-peer.c: its output as printed on this machine, and a short real run. */
class CTapPeerTest {
    static final String OUTPUT = String.join(
            "\n",
            "# tap-peer: private namespace, bridge tpbr, taps tp0 -> tp1, 0.50 s per measurement, window 256, 2 CPUs",
            "result size=1500 paced=no written_fps=375168 read_fps=372670 loss_pct=0.67 writer_cpu_fps=382065"
                    + " reader_cpu_fps=547579",
            "# coupling size=1500 paced=no reader_empty_reads_per_frame=0.4715 reader_sleeps_per_frame=0.1491"
                    + " writer_cpu_wait_ms=8.519 writer_preempted=10 reader_cpu_wait_ms=22.721",
            "result size=1500 paced=yes written_fps=311680 read_fps=311680 loss_pct=0.00 writer_cpu_fps=314492"
                    + " reader_cpu_fps=456746");

    @Test
    void readsEveryMeasurementWithItsCpuWaitShares() {
        List<TapSample> s = CTapPeer.samples(OUTPUT, 0.5);
        assertThat(s).hasSize(2);
        assertThat(s.get(0).key()).isEqualTo("1500");
        assertThat(s.get(0).system()).isEqualTo("c");
        assertThat(s.get(0).readFps()).isEqualTo(372670.0);
        assertThat(s.get(0).cpuFps()).isEqualTo(382065.0);
        assertThat(s.get(0).writerWait()).isCloseTo(8.519 / 500, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(s.get(0).readerWait()).isCloseTo(22.721 / 500, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(s.get(1).key()).isEqualTo("1500-paced");
        assertThat(s.get(1).readFps()).isEqualTo(311680.0);
        assertThat(s.get(1).cpuWait()).isNaN(); // no coupling line for it
    }

    @Test
    @RequiresRoot
    void theProgramBuildsAndMovesFramesInEveryMode() throws Exception {
        // the C peer is optional for the benchmark (it says "c: skipped" without a compiler)
        Assumptions.assumeTrue(
                CTapPeer.compiler().isPresent(), "SKIPPED: no C compiler (gcc) to build peers/tap-peer.c");
        for (int size : new int[] {64, 1500}) {
            StringBuilder log = new StringBuilder();
            List<TapSample> s = CTapPeer.run(0.2, size, log);
            assertThat(s).as(log.toString()).extracting(TapSample::key).containsExactly(size + "", size + "-paced");
            assertThat(s).as(log.toString()).allMatch(t -> t.readFps() > 0 && t.cpuFps() > 0);
            // the kernel's per-thread counters are there on this machine: the wait shares are known
            assertThat(s).as(log.toString()).allMatch(t -> t.cpuWait() >= 0);
            assertThat(log.toString()).startsWith("# tap-peer: private namespace");
        }
    }
}
