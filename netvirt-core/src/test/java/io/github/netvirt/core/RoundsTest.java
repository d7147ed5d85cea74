package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoundsTest {

    @Test
    void theSeedMakesTheBridgeAndItsVethsFirstThenEachHostsEndsAndAddresses() {
        List<Map<String, List<Step>>> rounds = Rounds.of(Seeds.seed().plan().steps(), Integer.MAX_VALUE);
        assertThat(rounds).hasSize(2);
        assertThat(rounds.get(0)).containsOnlyKeys("bridge");
        assertThat(actions(rounds.get(0).get("bridge")))
                .containsExactly(Action.LINK_ADD, Action.LINK_ADD, Action.LINK_ADD);
        assertThat(rounds.get(1)).containsOnlyKeys("net0", "net1");
        assertThat(actions(rounds.get(1).get("net0"))).containsExactly(Action.LINK_UP, Action.ADDR_ADD);
        assertThat(actions(rounds.get(1).get("net1"))).containsExactly(Action.LINK_UP, Action.ADDR_ADD);
    }

    @Test
    void aLimitLeavesOutTheStepsFromItOn() {
        List<Step> steps = Seeds.seed().plan().steps();
        List<Map<String, List<Step>>> rounds = Rounds.of(steps, 4); // three namespaces and the bridge
        assertThat(rounds).hasSize(1);
        assertThat(rounds.get(0).get("bridge")).containsExactly(steps.get(3));
        assertThat(Rounds.of(steps, 3)).isEmpty();
    }

    @Test
    void everyStepComesOnceAfterWhatItNeeds() {
        for (TopologyBuilder t : List.of(Seeds.seed(), Seeds.routed())) {
            List<Step> steps = t.plan().steps();
            Set<Step> done = new HashSet<>();
            List<Step> all = new ArrayList<>();
            for (Map<String, List<Step>> round : Rounds.of(steps, Integer.MAX_VALUE)) {
                for (Map.Entry<String, List<Step>> batch : round.entrySet()) {
                    List<Step> before = new ArrayList<>();
                    for (Step s : batch.getValue()) {
                        assertThat(s.ns()).isEqualTo(batch.getKey());
                        for (int need : s.needs()) {
                            Step n = steps.get(need);
                            assertThat(n.op() instanceof NsAddStep || done.contains(n) || before.contains(n))
                                    .as("%s needs %s: made before, in an earlier round or before it in its batch", s, n)
                                    .isTrue();
                        }
                        before.add(s);
                    }
                    all.addAll(batch.getValue());
                }
                round.values().forEach(done::addAll);
            }
            assertThat(all)
                    .containsExactlyInAnyOrderElementsOf(steps.stream()
                            .filter(s -> !(s.op() instanceof NsAddStep))
                            .toList());
        }
    }

    @Test
    void aDependencyCycleIsRefusedBeforeAnyStepRuns() {
        List<Step> seed = Seeds.seed().plan().steps();
        List<Step> cycle = List.of(seed.get(3).at(0, Set.of(1)), seed.get(4).at(1, Set.of(0)));
        assertThatThrownBy(() -> Rounds.of(cycle, Integer.MAX_VALUE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("plan has a dependency cycle at #0 LINK_ADD");
    }

    private static List<Action> actions(List<Step> steps) {
        return steps.stream().map(Step::action).toList();
    }
}
