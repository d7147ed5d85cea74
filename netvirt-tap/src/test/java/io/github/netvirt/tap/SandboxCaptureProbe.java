package io.github.netvirt.tap;

import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/** Run inside bin/netvirt-run by {@link SandboxCaptureTest}: captures lo, or says why it cannot. */
public final class SandboxCaptureProbe {
    private SandboxCaptureProbe() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("netvirt-sandbox-capture");
        Path file = dir.resolve("lo.pcap");
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            try (NetlinkHandle h = NetlinkHandle.open(ns)) {
                h.linkSetUp("lo");
            }
            try (PacketCapture c = PacketCapture.start(ns, "lo", file);
                    DatagramChannel tx = ns.openDatagramChannel()) {
                tx.send(ByteBuffer.allocate(8), new InetSocketAddress("127.0.0.1", 9));
                Thread.sleep(100);
                c.close();
                System.out.println("captured " + c.frameCount() + " frames");
            }
        } catch (RuntimeException e) {
            System.out.println("failed: " + e);
        } finally {
            Files.deleteIfExists(file);
            Files.delete(dir);
        }
    }
}
