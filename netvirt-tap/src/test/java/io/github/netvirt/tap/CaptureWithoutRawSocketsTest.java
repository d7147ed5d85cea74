package io.github.netvirt.tap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.ChildJvm;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A packet socket needs CAP_NET_RAW in the captured namespace. A JVM without it (a container that
 * drops NET_RAW, a user given CAP_NET_ADMIN and CAP_SYS_ADMIN alone) is told which capability is
 * missing and what the capture was of, not a bare {@code socket(17, 2051, 0): EPERM}. A child JVM runs
 * as root without CAP_NET_RAW.
 */
@RequiresRoot
class CaptureWithoutRawSocketsTest {
    @Test
    void aRefusedPacketSocketNamesCapNetRawAndTheDevice() throws Exception {
        String out = ChildJvm.runUnder(
                List.of("setpriv", "--inh-caps=-net_raw", "--bounding-set=-net_raw"), Child.class, 60);
        Matcher m = Pattern.compile("(?m)^THROWN (.*)$").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        assertThat(m.group(1))
                .as(out)
                .contains("EPERM")
                .contains("CAP_NET_RAW")
                .contains("lo in NetNamespace[unnamed]");
        assertThat(out).contains("NO FILE");
    }

    /** Runs in the child: a capture of lo in a namespace of its own. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Path dir = Files.createTempDirectory("capture-without-raw");
            Path file = dir.resolve("lo.pcap");
            try (NetNamespace ns = NetNamespace.ephemeral()) {
                try (PacketCapture c = PacketCapture.start(ns, "lo", file)) {
                    System.out.println("STARTED");
                } catch (RuntimeException e) {
                    System.out.println("THROWN " + e.getClass().getName() + ": " + e.getMessage());
                }
                System.out.println(Files.exists(file) ? "A FILE" : "NO FILE");
            } finally {
                Files.deleteIfExists(file);
                Files.delete(dir);
            }
        }
    }
}
