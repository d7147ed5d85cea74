package io.github.netvirt.bench.tap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.bench.Stats;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** run.sh's output as printed on this machine: per-run rows are read, the summary table is not. */
class CTapPeerTest {
    static final String OUTPUT = String.join("\n",
            "== run 1 (cpu busy before: 12%, load 0.50 0.40 0.30)",
            "# tapbench: anonymous netns, bridge pbtapbr + taps pbtap0/pbtap1, 1.0 s per run, window 256, 2 CPUs, pinned",
            "size   dir      paced      written_fps       read_fps  read_Mbps   loss%",
            "64     0->1     no               60544          55749       28.5    7.92",
            "64     1->0     no               63104          54098       27.7   14.27",
            "64     bidi-sum no              142144          48834       25.0        ",
            "64     0->1     yes              88128          88128       45.1    0.00",
            "1500   0->1     no              158400         152242     1826.9    3.89",
            "1500   0->1     yes             101312         101312     1215.7    0.00",
            "== run 2 (cpu busy before: 3%, load 0.50 0.40 0.30)",
            "size   dir      paced      written_fps       read_fps  read_Mbps   loss%",
            "64     0->1     no               70000          65000       28.5    7.92",
            "size  dir       paced read frames/s med (min-max)     Mbit/s med (min-max) loss% med",
            "64    0->1      no         55749 ( 55749- 55749)       28 (   28-   28) 7.9",
            "results in /tmp/x");

    @Test
    void keepsTheUnidirectionalRowsOfEveryRun() {
        Map<String, Stats> m = CTapPeer.parse(OUTPUT);
        assertThat(m).containsOnlyKeys("64", "64-paced", "1500", "1500-paced");
        assertThat(m.get("64").count()).isEqualTo(2);
        assertThat(m.get("64").min()).isEqualTo(55749.0);
        assertThat(m.get("64").max()).isEqualTo(65000.0);
        assertThat(m.get("64-paced").median()).isEqualTo(88128.0);
        assertThat(m.get("1500").median()).isEqualTo(152242.0);
    }
}
