package io.github.netvirt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.Sandboxed;
import org.junit.jupiter.api.Test;

/** The seed example as user nobody, through bin/netvirt-run: what a developer without root gets. */
@RequiresRoot // to become nobody
class SandboxSeedTest {
    @Test
    void seedRunsAsNobodyThroughTheLauncher() {
        Ip.Result r = Sandboxed.javaAsNobody(Main.class.getName(), "seed");
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out())
                .contains("tcp net0 -> 10.0.1.2:5213 (listener in net1): ok")
                .contains("tcp net1 -> 10.0.1.1:5213 (listener in net0): ok")
                .contains("connectivity proven both ways");
        assertThat(r.err()).contains("netvirt runs in a user-namespace sandbox (0 65534 1)");
    }
}
