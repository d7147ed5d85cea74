package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlanTest {

    @Test
    void seedPlanIsOrderedAndComplete() {
        Plan plan = Seeds.seed().plan();
        System.out.println(plan);
        System.out.println(plan.toScript());
        System.out.println(plan.toMermaid());
        List<Action> actions = plan.steps().stream().map(Step::action).toList();
        assertThat(actions)
                .containsExactly(
                        Action.NS_ADD,
                        Action.NS_ADD,
                        Action.NS_ADD,
                        // the bridge, then its ports, each created up and in the bridge (their other ends go up alone)
                        Action.LINK_ADD,
                        Action.LINK_ADD,
                        Action.LINK_ADD,
                        Action.LINK_UP,
                        Action.LINK_UP,
                        Action.ADDR_ADD,
                        Action.ADDR_ADD);
        for (Step s : plan.steps()) {
            assertThat(s.needs()).allMatch(i -> i < s.index());
        }
    }
}
