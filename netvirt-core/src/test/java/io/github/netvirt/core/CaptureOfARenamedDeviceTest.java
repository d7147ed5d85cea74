package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import io.github.netvirt.tap.PacketCapture;
import io.github.netvirt.tap.testing.PcapFrames;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Topology#capture} of a device the topology declares captures the topology's device, as
 * down/up/link act on it ({@link Resources#ownLink}): someone renamed it ({@code ip -n NS link set
 * eth0 name eth9}) and made a device of theirs under its name, whose frames are not captured.
 */
@RequiresRoot
class CaptureOfARenamedDeviceTest {
    private final String p = TestNames.unique("jH") + "-";

    @TempDir
    Path dir;

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    @Test
    void theTopologysRenamedDeviceIsCapturedNotTheOneThatTookItsName() throws Exception {
        try (Topology t = Topology.create()
                .prefix(p)
                .ns("a")
                .veth("eth0", "b", "eth0")
                .addr("10.63.0.1/24")
                .ns("b")
                .dev("eth0")
                .addr("10.63.0.2/24")
                .apply()) {
            Ip.ok("-n", p + "a", "link", "set", "dev", "eth0", "down");
            Ip.ok("-n", p + "a", "link", "set", "dev", "eth0", "name", "eth9");
            Ip.ok("-n", p + "a", "link", "set", "dev", "eth9", "up");
            Ip.ok("-n", p + "a", "link", "add", "name", "eth0", "type", "bridge");
            Ip.ok("-n", p + "a", "link", "set", "dev", "eth0", "up");
            Path file = dir.resolve("a-eth0.pcap");
            PacketCapture c = t.capture("a", "eth0", file);
            assertThat(Tcp.echo(t.namespace("b"), t.namespace("a"), "10.63.0.1", 5601, "seen"))
                    .isEqualTo("seen");
            c.close();
            assertThat(PcapFrames.tcp(file))
                    .as("TCP frames captured on the topology's a/eth0 (now eth9)")
                    .containsSubsequence("SYN 10.63.0.2 > 10.63.0.1:5601", "SYN+ACK 10.63.0.1:5601 > 10.63.0.2");
        }
    }
}
