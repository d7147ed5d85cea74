package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.ChildJvm;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.NoUnnamedFiles;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Apply and cleanup where {@code /run/netns}'s file system makes no unnamed file ({@code O_TMPFILE}
 * refused with EOPNOTSUPP, as an overlayfs before Linux 6.6 as a container's {@code /run}).
 */
@RequiresRoot
class NoUnnamedFilesApplyTest {

    @Test
    void theSeedIsAppliedAndClosedWithoutUnnamedFiles() throws Exception {
        assumeTrue(NoUnnamedFiles.supported(), "a seccomp filter for this architecture");
        String p = TestNames.unique("nua") + "-";
        Path runDir = Files.createTempDirectory("netvirt-run");
        Process child = null;
        try {
            List<String> before = NoUnnamedFiles.stagingFiles();
            child = ChildJvm.start(List.of("-Dnetvirt.run.dir=" + runDir), NoUnnamedFilesApplyChild.class, p);
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            List<String> lines = ChildJvm.linesUntil(out, "applied");
            assertThat(lines).as("the child's output").endsWith("applied");
            assertThat(Reference.namespaces(p)).containsExactlyInAnyOrder(p + "bridge", p + "net0", p + "net1");
            assertThat(Ip.ok("-n", p + "bridge", "-j", "link", "show", "master", "br"))
                    .contains("\"ifname\":\"p0\"", "\"ifname\":\"p1\"");
            try (NetNamespace net0 = NetNamespace.open(p + "net0");
                    NetNamespace net1 = NetNamespace.open(p + "net1");
                    DatagramChannel server = net1.openDatagramChannel();
                    DatagramChannel client = net0.openDatagramChannel()) {
                server.bind(new InetSocketAddress("10.214.0.2", 7000));
                client.send(ByteBuffer.wrap(new byte[] {42}), new InetSocketAddress("10.214.0.2", 7000));
                server.socket().setSoTimeout(5000);
                DatagramPacket in = new DatagramPacket(new byte[8], 8);
                server.socket().receive(in);
                assertThat(in.getAddress().getHostAddress())
                        .as("net0 reaches net1 through the bridge")
                        .isEqualTo("10.214.0.1");
            }
            assertThat(NoUnnamedFiles.stagingFiles())
                    .as("staging files once applied")
                    .isEqualTo(before);
            try (OutputStream in = child.getOutputStream()) {
                in.write("close\n".getBytes(StandardCharsets.UTF_8));
            }
            assertThat(out.readLine()).isEqualTo("closed");
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isZero();
            assertThat(Reference.namespaces(p)).isEmpty();
            assertThat(IdentityCleanupTest.records(runDir)).isEmpty();
        } finally {
            if (child != null) {
                child.destroyForcibly().waitFor();
            }
            Reference.deleteNamespaces(p);
            IdentityCleanupTest.deleteRunDir(runDir);
        }
    }
}
