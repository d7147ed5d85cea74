package io.github.netvirt.examples.twomachines;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.examples.ExampleOutput;
import io.github.netvirt.netns.testing.RequiresRoot;
import org.junit.jupiter.api.Test;

@RequiresRoot
class TwoMachinesTest {
    @Test
    void hostsOnTwoMachinesShareOneSegmentThroughVxlan() throws Exception {
        String out = ExampleOutput.ofSuccess(TwoMachines::run);
        assertThat(out).contains("every host reaches every other one: true (all 12 probes answered)")
                .contains("one segment: true")
                .contains("1 MiB h1 -> h4 across the tunnel intact: true");
    }
}
