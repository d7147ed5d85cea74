package io.github.netvirt.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a forked run's parent runs in each child, and how it joins what the children wrote. */
class ForksTest {
    @Test
    void aChildRunsTheSameArgumentsWithItsOutputFileInPlaceOfTheForks() {
        List<String> argv = List.of("seed", "--warmup", "3", "--forks", "9", "--runs", "31");
        assertThat(Forks.childArgs(argv, Path.of("/tmp/x/fork-1.samples")))
                .containsExactly("seed", "--warmup", "3", "--runs", "31", "--fork-out", "/tmp/x/fork-1.samples");
    }

    @Test
    void theStarIsForkedOnlyAtOneSizeWithoutItsQuietDowns() {
        for (String sizes : List.of("10,100", "1000")) {
            assertThatThrownBy(() -> Main.run(
                            new String[] {"star", sizes, "--forks", "3"},
                            new PrintStream(OutputStream.nullOutputStream())))
                    .as(sizes)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--forks is for the seed workload, and the star at one size below 1000");
        }
    }

    @Test
    void aChildGetsThisJvmsOptionsButThoseOfTheEnvironmentAndADebuggersAgent() {
        List<String> cmd = Forks.childCommand(
                List.of(
                        "-Xmx256m",
                        "-javaagent:/x/agent.jar",
                        "-agentlib:jdwp=transport=dt_socket,server=y,address=5005"),
                "-javaagent:/x/agent.jar ",
                Path.of("/tmp/f.samples"),
                List.of("seed", "--forks", "3"));
        assertThat(cmd).contains("-Xmx256m").doesNotContain("-javaagent:/x/agent.jar");
        assertThat(cmd).noneMatch(o -> o.contains("jdwp"));
        assertThat(cmd.subList(cmd.indexOf(Main.class.getName()), cmd.size()))
                .containsExactly(Main.class.getName(), "seed", "--fork-out", "/tmp/f.samples");
        assertThat(cmd.contains("--enable-native-access=ALL-UNNAMED"))
                .isEqualTo(Runtime.version().feature() >= 22);
    }

    @Test
    void theParentJoinsEachChildsSamplesAndPhasesAsOneGroupInTheOrderTheChildrenRan() {
        Phases childPhases = new Phases();
        childPhases.add(ordered("namespaces", 1.5, "addresses+up", 0.25));
        Topo child = topo("floor", childPhases);
        Map<String, Stats[]> measured = new LinkedHashMap<>();
        measured.put("floor", new Stats[] {stats(3.25, 3.5), stats(0.5, 0.75)});
        List<String> lines = Forks.lines(measured, List.of(child));
        assertThat(lines)
                .containsExactly(
                        "stats floor 0 3.25 3.5",
                        "stats floor 1 0.5 0.75",
                        "phases floor namespaces=1.5 addresses+up=0.25");

        Phases parentPhases = new Phases();
        Topo parent = topo("floor", parentPhases);
        Map<String, Stats[]> joined = new LinkedHashMap<>();
        joined.put("floor", new Stats[] {new Stats(), new Stats()});
        Forks.read(lines, joined, List.of(parent));
        Forks.read(List.of("stats floor 0 4.0", "stats floor 1 1.0"), joined, List.of(parent));
        assertThat(joined.get("floor")[0].samples()).containsExactly(3.25, 3.5, 4.0);
        assertThat(joined.get("floor")[0].groups()).containsExactly(List.of(3.25, 3.5), List.of(4.0));
        assertThat(joined.get("floor")[1].groups()).containsExactly(List.of(0.5, 0.75), List.of(1.0));
        assertThat(parentPhases.runs()).containsExactly(ordered("namespaces", 1.5, "addresses+up", 0.25));
        assertThat(parentPhases.summary()).isEqualTo("namespaces=1.500 addresses+up=0.2500");
    }

    private static Map<String, Double> ordered(String a, double av, String b, double bv) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(a, av);
        m.put(b, bv);
        return m;
    }

    private static Stats stats(double... v) {
        Stats s = new Stats();
        for (double x : v) {
            s.add(x);
        }
        return s;
    }

    private static Topo topo(String system, Phases phases) {
        return new Topo() {
            @Override
            public String system() {
                return system;
            }

            @Override
            public void up() {}

            @Override
            public void down() {}

            @Override
            public void cleanup() {}

            @Override
            public Phases phases() {
                return phases;
            }
        };
    }
}
