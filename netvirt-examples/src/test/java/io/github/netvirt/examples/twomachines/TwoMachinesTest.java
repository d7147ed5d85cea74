package io.github.netvirt.examples.twomachines;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.RequiresRoot;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

@RequiresRoot
class TwoMachinesTest {
    @Test
    void hostsOnTwoMachinesShareOneSegmentThroughVxlan() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc = TwoMachines.run(new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("every host reaches every other one: true (all 12 probes answered)")
                .contains("one segment: true")
                .contains("1 MiB h1 -> h4 across the tunnel intact: true");
        assertThat(rc).as(out).isZero();
    }
}
