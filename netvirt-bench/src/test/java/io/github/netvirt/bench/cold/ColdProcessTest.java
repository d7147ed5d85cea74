package io.github.netvirt.bench.cold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the cold workload reads from its children's output, and how it starts them. */
class ColdProcessTest {
    static final String FLOOR = "cold apply_ms=293.203 close_ms=4.446 phases jna-load=266.855"
            + " namespaces=7.241 sockets=2.000 bridge=3.214 veths=7.501 addresses+up=5.631 close-fds=0.0834\n";

    @Test
    void readsTheFirstApplyOfColdSeedAndColdFloor() throws IOException {
        assertThat(ColdProcess.applyMillis("netvirt-cold", "cold apply_ms=230.5 close_ms=1.2\n"))
                .isEqualTo(230.5);
        assertThat(ColdProcess.applyMillis("floor-cold", "a warning\n" + FLOOR)).isEqualTo(293.203);
    }

    @Test
    void anOutputWithoutTheApplyIsAnErrorThatShowsIt() {
        assertThatThrownBy(() -> ColdProcess.applyMillis("floor-cold", "Exception in thread main\n"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("floor-cold")
                .hasMessageContaining("Exception in thread main");
    }

    @Test
    void readsThePhasesInTheirOrder() {
        Map<String, Double> p = ColdProcess.phaseMillis(FLOOR);
        assertThat(p.keySet())
                .containsExactly("jna-load", "namespaces", "sockets", "bridge", "veths", "addresses+up", "close-fds");
        assertThat(p.get("jna-load")).isEqualTo(266.855);
        assertThat(p.get("close-fds")).isEqualTo(0.0834);
    }

    @Test
    void anOutputWithoutPhasesHasNone() {
        assertThat(ColdProcess.phaseMillis("cold apply_ms=230.5 close_ms=1.2\n"))
                .isEmpty();
    }

    @Test
    void theChildIsThisJvmsJavaWithItsClassPathOptionsFirst() {
        List<String> cmd = ColdProcess.command(ColdEmpty.class, List.of("-XX:SharedArchiveFile=x.jsa"), "bnp-");
        assertThat(cmd.get(0)).endsWith("/bin/java");
        assertThat(cmd.subList(1, cmd.size()))
                .containsExactly(
                        "-XX:SharedArchiveFile=x.jsa",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ColdEmpty.class.getName(),
                        "bnp-");
    }
}
