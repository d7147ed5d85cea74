package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * EPERM is told apart without parsing messages: a child JVM whose capability bounding set lacks
 * CAP_NET_ADMIN asks to delete a link that does not exist. The kernel checks the capability first,
 * so the child sees EPERM (and a privileged process sees ENODEV): nothing can be changed either way.
 */
@RequiresRoot
class PermissionTest {
    /** Run in the child JVM. */
    public static void main(String[] args) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("CapEff:")) {
                long caps = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                if ((caps & (1L << 12)) != 0) {
                    System.out.println("STILL-HAS-CAP_NET_ADMIN");
                    return;
                }
            }
        }
        try (NetNamespace root = NetNamespace.root();
                NetlinkHandle h = NetlinkHandle.open(root)) {
            h.linkDel("nl-perm-none");
            System.out.println("NO-ERROR");
        } catch (NetlinkException e) {
            System.out.println("errno=" + e.errnoConstant() + " permission=" + e.isPermissionDenied() + " message="
                    + e.getMessage());
        }
    }

    @Test
    void withoutCapNetAdminTheErrorIsEperm() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(
                        "setpriv",
                        "--inh-caps=-all",
                        "--bounding-set=-net_admin",
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        PermissionTest.class.getName()))
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out)
                .as(out)
                .contains("errno=EPERM permission=true")
                .contains("RTM_DELLINK nl-perm-none")
                .contains("needs root or CAP_NET_ADMIN");
    }
}
