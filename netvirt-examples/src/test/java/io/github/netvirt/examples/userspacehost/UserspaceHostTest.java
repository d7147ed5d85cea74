package io.github.netvirt.examples.userspacehost;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.examples.ExampleOutput;
import io.github.netvirt.netns.testing.RequiresRoot;
import org.junit.jupiter.api.Test;

@RequiresRoot
class UserspaceHostTest {
    @Test
    void aKernelNamespaceResolvesPingsAndTalksUdpToAJavaHost() throws Exception {
        String out = ExampleOutput.ofSuccess(UserspaceHost::run);
        assertThat(out).contains("icmp echo pc -> 10.0.2.100: ok").contains("udp echo pc -> 10.0.2.100:7: ok")
                .contains("arp: pc resolved 10.0.2.100 to 02:00:0a:00:02:64: ok");
    }
}
