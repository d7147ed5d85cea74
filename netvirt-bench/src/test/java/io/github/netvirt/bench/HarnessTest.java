package io.github.netvirt.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the harness charges to a system's up. No root needed: the system makes nothing. */
class HarnessTest {
    /** An up that does nothing but mark its one phase. */
    private static class Marks implements Topo {
        private final Phases phases = new Phases();

        @Override
        public String system() {
            return "marks";
        }

        @Override
        public Phases phases() {
            return phases;
        }

        @Override
        public void up() {
            phases.mark("all");
        }

        @Override
        public void down() {}

        @Override
        public void cleanup() {}
    }

    @Test
    void aPhaseHoldsTheUpsTimeAndNotTheHarnesssReadingsBeforeIt() throws Exception {
        Marks m = new Marks();
        Map<String, Stats[]> r = new Harness(0, 3, 3, 0).measure(List.of(m));
        double up = r.get("marks")[0].median();
        // before the fix the phase began before the harness read every thread's schedstat and the JIT's
        // and CPU clocks (0.3 ms and more), and the up's clock after them
        assertThat(m.phases().median("all")).isLessThanOrEqualTo(up);
    }

    @Test
    void eachRoundBeginsWithTheNextSystem() throws Exception {
        List<String> order = new ArrayList<>();
        List<Topo> systems = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            systems.add(new Marks() {
                @Override
                public String system() {
                    return name;
                }

                @Override
                public void up() {
                    order.add(name);
                }
            });
        }
        new Harness(1, 3, 3, 0).measure(systems);
        assertThat(order).containsExactly("a", "b", "c", "b", "c", "a", "c", "a", "b", "a", "b", "c");
    }
}
