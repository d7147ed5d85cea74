package io.github.netvirt.examples.userspacehost;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.RequiresRoot;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

@RequiresRoot
class UserspaceHostTest {
    @Test
    void aKernelNamespaceResolvesPingsAndTalksUdpToAJavaHost() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc = UserspaceHost.run(new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("icmp echo pc -> 10.0.2.100: ok").contains("udp echo pc -> 10.0.2.100:7: ok")
                .contains("arp: pc resolved 10.0.2.100 to 02:00:0a:00:02:64: ok");
        assertThat(rc).as(out).isZero();
    }
}
