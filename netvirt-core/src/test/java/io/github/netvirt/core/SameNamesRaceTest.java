package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.core.spec.NamespaceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Two threads of one JVM apply topologies that want the same names at the same moment: exactly one
 * gets them, the other fails with EEXIST before it made anything, naming this process's live topology
 * as the holder (not a dead owner's leftovers); once the winner closes, the names can be applied again.
 */
@RequiresRoot
class SameNamesRaceTest {
    private static final int ROUNDS = 30;

    @Test
    void twoThreadsApplyingTheSameNamesOneWinsTheOtherFailsCleanly() throws Exception {
        race((p, root) -> () -> Topology.create()
                .prefix(p)
                .ns("a")
                .veth("e0", Topology.ROOT, root)
                .ns("b")
                .veth("e0", "c", "e0")
                .ns("c")
                .ns("d"));
    }

    @Test
    void twoTopologiesSharingOneNamespaceNameAmongSeveral() throws Exception {
        race(
                (p, root) -> () -> Topology.create().prefix(p).ns("a").ns("b").ns("c"),
                (p, root) -> () -> Topology.create().prefix(p).ns("c").ns("d").ns("e"));
    }

    @Test
    void twoTopologiesSharingOneRootDeviceNameAmongSeveral() throws Exception {
        race(
                (p, root) -> () -> Topology.create().prefix(p).ns("a").veth("e0", Topology.ROOT, root),
                (p, root) -> () -> Topology.create()
                        .prefix(p)
                        .ns("b")
                        .veth("e0", Topology.ROOT, root)
                        .ns("c"));
    }

    private static List<String> kernelNames(TopologySpec spec) {
        return spec.namespaces().stream()
                .map(NamespaceSpec::kernelName)
                .filter(n -> n != null)
                .sorted()
                .toList();
    }

    /** A topology to apply, for a prefix and a root-namespace device name. */
    private interface Shape {
        Supplier<TopologyBuilder> of(String prefix, String root);
    }

    private static void race(Shape both) throws Exception {
        race(both, both);
    }

    private static void race(Shape first, Shape second) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                oneRound(pool, round, first, second);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void oneRound(ExecutorService pool, int round, Shape first, Shape second) throws Exception {
        String p = TestNames.unique("ga") + "-";
        String root = p.replace("-", "") + "r";
        List<Supplier<TopologyBuilder>> shapes = List.of(first.of(p, root), second.of(p, root));
        CyclicBarrier start = new CyclicBarrier(2);
        List<Future<Topology>> results = new ArrayList<>();
        List<Topology> won = new ArrayList<>();
        try {
            for (Supplier<TopologyBuilder> shape : shapes) {
                results.add(pool.submit(() -> {
                    TopologyBuilder b = shape.get();
                    start.await();
                    return b.apply();
                }));
            }
            List<Throwable> lost = new ArrayList<>();
            List<Integer> winners = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                try {
                    won.add(results.get(i).get());
                    winners.add(i);
                } catch (ExecutionException e) {
                    lost.add(e.getCause());
                }
            }
            String why = "round " + round + ": " + lost;
            assertThat(won).as(why).hasSize(1);
            Throwable loss = lost.get(0);
            assertThat(loss).as(why).isInstanceOf(ApplyException.class);
            assertThat(((ApplyException) loss).errno()).as(why).isEqualTo(17);
            assertThat(loss.getMessage())
                    .as(why)
                    .contains("is held by a netvirt topology of this process")
                    .doesNotContain("no longer running", "no crash record", "dead");
            // the loser left nothing: what is there is the winner's
            Topology winner = won.get(0);
            List<String> winnersNames = kernelNames(winner.spec());
            assertThat(Reference.namespaces(p)).as(why).containsExactlyInAnyOrderElementsOf(winnersNames);
            assertThat(Reference.rootLinks(root))
                    .as(why)
                    .hasSize(winner.spec().findNamespace(TopologySpec.ROOT).isPresent() ? 1 : 0);
            assertThat(Reference.records(p)).as(why).hasSize(1);
            winner.close();
            won.clear();
            assertThat(Reference.namespaces(p)).as(why).isEmpty();
            assertThat(Reference.rootLinks(root)).as(why).isEmpty();
            assertThat(Reference.records(p)).as(why).isEmpty();
            // the loser's names are free again
            try (Topology again = shapes.get(1 - winners.get(0)).get().apply()) {
                assertThat(Reference.namespaces(p)).as(why).isNotEmpty();
            }
            assertThat(Reference.namespaces(p)).as(why).isEmpty();
            assertThat(Reference.rootLinks(root)).as(why).isEmpty();
            assertThat(Reference.records(p)).as(why).isEmpty();
        } finally {
            for (Topology t : won) {
                t.close();
            }
            Reference.deleteNamespaces(p);
            for (String l : Reference.rootLinks(root)) {
                Ip.run("link", "del", l);
            }
        }
    }
}
