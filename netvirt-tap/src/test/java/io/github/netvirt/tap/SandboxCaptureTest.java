package io.github.netvirt.tap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.Sandboxed;
import org.junit.jupiter.api.Test;

/**
 * A capture in the user-namespace sandbox ({@code bin/netvirt-run}): the sandbox has CAP_NET_RAW
 * over its namespaces, but not the machine's CAP_NET_ADMIN that a receive buffer above
 * {@code rmem_max} ({@code SO_RCVBUFFORCE}) asks for.
 */
@RequiresRoot // to run the launcher the way the other sandbox tests do
class SandboxCaptureTest {
    @Test
    void aCaptureOfLoWorksInTheSandbox() {
        String out = Sandboxed.java(SandboxCaptureProbe.class.getName()).ok().out();
        assertThat(out).startsWith("captured ").doesNotContain("failed");
    }
}
