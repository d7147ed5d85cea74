package io.github.netvirt.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.RequiresRoot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The only bench run in the build: star N=2, one round, no warm-up. Checks the output format and the clean-up. */
class SmokeTest {
    static final String RESULT = "result (\\S+) (\\S+) median_ms=[0-9.]+ min_ms=[0-9.]+ max_ms=[0-9.]+ runs=1";
    static final String RATIO = "ratio (\\S+) (\\S+)/(\\S+)=[0-9.]+";

    @Test
    @RequiresRoot
    void starTwoPrintsOneResultLinePerSystemAndLeavesNothingBehind() throws Exception {
        List<String> linksBefore = rootLinks();
        String out = run("star", "2", "--runs", "1", "--warmup", "0");
        List<String> lines = out.lines().collect(Collectors.toList());
        assertThat(lines).allMatch(l -> l.startsWith("# ") || l.matches(RESULT) || l.matches(RATIO), "format");
        List<String> results =
                lines.stream().filter(l -> l.startsWith("result ")).collect(Collectors.toList());
        for (String phase : new String[] {"up", "down", "total"}) {
            for (String system : new String[] {"netvirt", "floor", "iproute2-exec", "ip-batch"}) {
                assertThat(results).anyMatch(l -> l.startsWith("result star-2-" + phase + " " + system + " "));
            }
        }
        List<String> systems =
                results.stream().map(l -> l.split(" ")[2]).distinct().collect(Collectors.toList());
        String netvirt = systems.stream()
                .filter(s -> s.startsWith("netvirt"))
                .findFirst()
                .orElse(null);
        if (netvirt != null) {
            // one ratio per other system, against netvirt
            assertThat(lines.stream().filter(l -> l.startsWith("ratio star-2-up ")))
                    .hasSize(systems.size() - 1)
                    .allMatch(l -> l.contains("/" + netvirt + "="));
        }
        assertThat(out).contains("in-process in a warm JVM", "whole-process");
        assertThat(lines).anyMatch(l -> l.startsWith("ratio star-2-up floor/netvirt="));
        assertThat(ourNamespaces()).isEmpty();
        assertThat(rootLinks()).isEqualTo(linksBefore);
    }

    @Test
    @RequiresRoot
    void coldReportsTheFirstApplyOfAFreshJvmAndTheWholeProcessAndLeavesNothingBehind() throws Exception {
        String out = run(
                "cold",
                "--runs",
                "1",
                "--warmup",
                "0",
                "--systems",
                "netvirt-cold,netvirt-cold-cds,floor,floor-cold,floor-cold-cds,jvm-empty,ip-batch");
        List<String> lines = out.lines().collect(Collectors.toList());
        assertThat(lines).allMatch(l -> l.startsWith("# ") || l.matches(RESULT) || l.matches(RATIO), "format");
        assertThat(lines)
                .anyMatch(l -> l.startsWith("result cold-first-apply netvirt "))
                .anyMatch(l -> l.startsWith("result cold-first-apply netvirt-cold "))
                .anyMatch(l -> l.startsWith("result cold-process netvirt-cold "))
                .anyMatch(l -> l.startsWith("result cold-process ip-batch "))
                .anyMatch(l -> l.startsWith("# target cold-first-apply netvirt-cold/netvirt: "))
                .anyMatch(l -> l.startsWith("# target cold-process ip-batch/netvirt-cold: "))
                // the floors under the targets, and what the targets would be at those floors
                .anyMatch(l -> l.startsWith("result cold-first-apply floor-cold "))
                .anyMatch(l -> l.startsWith("result cold-process floor-cold "))
                .anyMatch(l -> l.startsWith("result cold-process jvm-empty "))
                .anyMatch(l -> l.startsWith("ratio cold-process jvm-empty/ip-batch="))
                .anyMatch(l -> l.startsWith("# phases cold-up floor-cold (median ms): jna-load="))
                .anyMatch(l -> l.startsWith("# bound cold-first-apply floor-cold/netvirt: "))
                .anyMatch(l -> l.startsWith("# bound cold-first-apply floor-cold/floor: "))
                .anyMatch(l -> l.startsWith("# bound cold-process ip-batch/jvm-empty: "))
                .anyMatch(l -> l.startsWith("# bound cold-process ip-batch/floor-cold: "))
                // the tests' class path is directories: AppCDS cannot archive it, and the bench says so
                .anyMatch(l -> l.startsWith("# netvirt-cold-cds skipped: "))
                .anyMatch(l -> l.startsWith("# floor-cold-cds skipped: "));
        assertThat(ourNamespaces()).isEmpty();
    }

    @Test
    @RequiresRoot
    void theGoPeerIsMeasuredWhenGoIsThereAndSaidSkippedWhenNot() throws Exception {
        String out = run("star", "2", "--runs", "1", "--warmup", "0", "--systems", "netvirt,go-netlink");
        List<String> lines = out.lines().collect(Collectors.toList());
        assertThat(lines).allMatch(l -> l.startsWith("# ") || l.matches(RESULT) || l.matches(RATIO), "format");
        if (lines.stream().anyMatch(l -> l.startsWith("# go-netlink skipped: "))) {
            assertThat(lines).noneMatch(l -> l.contains("go-netlink median"));
        } else {
            assertThat(lines)
                    .anyMatch(l -> l.startsWith("result star-2-up go-netlink "))
                    .anyMatch(l -> l.startsWith("ratio star-2-up go-netlink/netvirt="))
                    .anyMatch(l -> l.startsWith("# target star-2-up go-netlink/netvirt: "));
        }
        assertThat(ourNamespaces()).isEmpty();
    }

    @Test
    void badArgumentsAreRejectedBeforeAnythingRuns() {
        assertThatThrownBy(() -> run("star"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("N");
        assertThatThrownBy(() -> run("star", "0")).hasMessageContaining("positive");
        assertThatThrownBy(() -> run("seed", "--runs", "x")).hasMessageContaining("--runs");
        assertThatThrownBy(() -> run("bogus")).hasMessageContaining("unknown workload");
    }

    @Test
    void statsAreMedianMinMax() {
        Stats s = new Stats();
        for (double v : new double[] {5, 1, 3, 9}) {
            s.add(v);
        }
        assertThat(s.median()).isEqualTo(4.0);
        assertThat(s.min()).isEqualTo(1.0);
        assertThat(s.max()).isEqualTo(9.0);
        s.add(4.5);
        assertThat(s.median()).isEqualTo(4.5);
        assertThat(s.count()).isEqualTo(5);
    }

    static String run(String... args) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            Main.run(args, ps);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    static List<String> ourNamespaces() throws IOException {
        String token = new Main.Options().token;
        try (Stream<Path> s = Files.list(Path.of("/run/netns"))) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("bn" + token) || n.startsWith("bnp-" + token))
                    .collect(Collectors.toList());
        }
    }

    static List<String> rootLinks() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "-o", "link", "show")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        // only names the bench could have left (other engineers share this kernel)
        return out.lines()
                .map(l -> l.split(": ")[1])
                .filter(n -> n.startsWith("bn"))
                .sorted()
                .collect(Collectors.toList());
    }
}
