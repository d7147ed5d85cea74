package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.NameState;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An apply takes every name under {@code /run/netns} it needs, one after another in name order,
 * before any of its namespaces is named or gets a device: of applies in any process wanting some of
 * the same names at once, one gets them all.
 */
@RequiresRoot
class NamesBeforeNamespacesTest {
    private static final List<String> NAMES = List.of("bridge", "net0", "net1");

    private static TopologyBuilder seedNamespaces(String prefix) {
        return Topology.create()
                .prefix(prefix)
                .ns("net0")
                .ns("net1")
                .ns("bridge")
                .bridge("br");
    }

    @Test
    void everyNameIsTakenBeforeTheFirstNamespaceIsHandedOn() {
        String p = TestNames.unique("nb") + "-";
        Map<String, Boolean> seenFirst = new TreeMap<>();
        AtomicInteger calls = new AtomicInteger();
        try (Topology t = seedNamespaces(p).apply(new ApplyOptions(-1, ns -> {
            if (calls.getAndIncrement() == 0) {
                for (String n : NAMES) {
                    seenFirst.put(n, Files.exists(Path.of("/run/netns", p + n)));
                }
            }
        }))) {
            assertThat(calls).hasValue(3);
            assertThat(seenFirst)
                    .as("names under /run/netns when the first namespace was handed on")
                    .containsOnlyKeys(NAMES)
                    .doesNotContainValue(false);
        }
    }

    @Test
    void aNameTakenAlreadyFailsTheApplyBeforeAnyNamespaceIsHandedOn() {
        String p = TestNames.unique("nb") + "-";
        AtomicInteger calls = new AtomicInteger();
        // the middle name in name order: bridge is taken before it, net1 must not be
        try (NetNamespace foreign = NetNamespace.create(p + "net0")) {
            for (int i = 0; i < 5; i++) {
                assertThatThrownBy(() -> seedNamespaces(p).apply(new ApplyOptions(-1, ns -> calls.incrementAndGet())))
                        .isInstanceOfSatisfying(ApplyException.class, e -> {
                            assertThat(e.errno()).isEqualTo(Errno.EEXIST.code());
                            assertThat(e.getMessage()).contains(p + "net0");
                        });
                assertThat(calls).as("namespaces handed on").hasValue(0);
                assertThat(NetNamespace.nameState(p + "net0", foreign.cookie())).isEqualTo(NameState.SAME);
                for (String free : List.of("bridge", "net1")) {
                    assertThat(Files.exists(Path.of("/run/netns", p + free)))
                            .as(free)
                            .isFalse();
                }
            }
        } finally {
            NetNamespace.delete(p + "net0");
        }
    }

    /**
     * Two JVMs applying the same names at the same instant, each declaring the namespaces in another
     * order: before the names were taken in name order, each named the namespace its threads made
     * first, found the other's, and both gave theirs back.
     */
    @Test
    void ofTwoJvmsApplyingTheSameNamesAtOnceOneGetsThemAll() throws Exception {
        String p = TestNames.unique("nb");
        Path runDir = Files.createTempDirectory("nvrun-");
        List<Process> children = new ArrayList<>();
        try {
            List<BufferedReader> outs = new ArrayList<>();
            List<Writer> ins = new ArrayList<>();
            for (String order : List.of("net0,net1,bridge", "bridge,net1,net0")) {
                Process c = ChildJvm.of(runDir, SameNamesChild.class, order).start();
                children.add(c);
                outs.add(new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8)));
                ins.add(new OutputStreamWriter(c.getOutputStream(), StandardCharsets.UTF_8));
            }
            int bothLost = 0;
            List<String> lost = new ArrayList<>();
            for (int round = 0; round < 40; round++) {
                String prefix = p + round + "-";
                for (Writer w : ins) {
                    w.write("go " + prefix + "\n");
                    w.flush();
                }
                int won = 0;
                for (BufferedReader r : outs) {
                    String answer = r.readLine();
                    assertThat(answer).as("child answer").isNotNull().matches("won|lost .*");
                    if (answer.equals("won")) {
                        won++;
                    } else {
                        assertThat(answer).contains("already exists");
                        if (lost.size() < 4) {
                            lost.add(answer);
                        }
                    }
                }
                assertThat(won).as("JVMs that got every name").isLessThanOrEqualTo(1);
                if (won == 0) {
                    bothLost++;
                }
                for (Writer w : ins) {
                    w.write("close\n");
                    w.flush();
                }
                for (BufferedReader r : outs) {
                    assertThat(r.readLine()).isEqualTo("closed");
                }
                for (String n : NAMES) {
                    assertThat(NetNamespace.exists(prefix + n)).as(prefix + n).isFalse();
                }
            }
            assertThat(bothLost)
                    .as("rounds where neither JVM got the names (the first answers: %s)", lost)
                    .isZero();
        } finally {
            for (Process c : children) {
                c.getOutputStream().close();
                if (!c.waitFor(10, TimeUnit.SECONDS)) {
                    c.destroyForcibly().waitFor();
                }
            }
            try (var left = Files.list(runDir)) {
                left.forEach(f -> f.toFile().delete());
            }
            Files.delete(runDir);
        }
    }
}
