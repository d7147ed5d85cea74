package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.Sandboxed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A user other than root with CAP_NET_ADMIN and CAP_SYS_ADMIN makes namespaces, but a set-uid util-linux
 * mount, which mounts a started process's /sys, refuses its real uid whatever its capabilities: as
 * NetNamespace.start and README's Requirements say, the process exits with code 125 without running the
 * command, mount's refusal on its stderr prefixed {@code netvirt:}. A child JVM runs as nobody with the
 * two capabilities ambient.
 */
@RequiresRoot
class StartWithoutRealRootTest {
    @Test
    void execReturnsMountsRefusalAsExitCode125() throws Exception {
        Path mount = Path.of("/usr/bin/mount");
        assumeTrue(
                Files.exists(mount) && ((Integer) Files.getAttribute(mount, "unix:mode") & 04000) != 0,
                "mount is not set-uid here");
        Ip.Result r = Sandboxed.javaAsNobodyWithCapabilities("+net_admin,+sys_admin", Child.class.getName());
        Matcher m = Pattern.compile("(?m)^RAN (\\d+) (.*)$").matcher(r.out());
        assertThat(m.find()).as(r.out() + r.err()).isTrue();
        assertThat(m.group(1)).as(r.out()).isEqualTo("125");
        assertThat(m.group(2)).as(r.out()).contains("netvirt:").contains("mount");
    }

    /** Runs in the child: {@code true} in a namespace of its own. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            try (NetNamespace ns = NetNamespace.ephemeral()) {
                ExecResult r = ns.exec("true");
                System.out.println("RAN " + r.exitCode() + " " + r.stderr().replace('\n', ' '));
            } catch (Exception e) {
                System.out.println("THROWN " + e.getClass().getName() + ": " + e.getMessage());
            }
        }
    }
}
