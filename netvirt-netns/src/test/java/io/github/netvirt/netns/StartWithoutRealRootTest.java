package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.Sandboxed;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A user other than root with CAP_NET_ADMIN and CAP_SYS_ADMIN makes namespaces, but cannot start a
 * process in one: util-linux mount, which mounts its /sys, refuses a real uid other than 0 whatever
 * its capabilities. exec() says so by an IOException before anything starts, not by an ExecResult
 * of exit code 125 whose stderr is mount's "must be superuser". A child JVM runs as nobody with the
 * two capabilities ambient.
 */
@RequiresRoot
class StartWithoutRealRootTest {
    @Test
    void execThrowsNamingTheRealUidAndTheSandbox() {
        Ip.Result r = Sandboxed.javaAsNobodyWithCapabilities("+net_admin,+sys_admin", Child.class.getName());
        Matcher m = Pattern.compile("(?m)^THROWN (.*)$").matcher(r.out());
        assertThat(m.find()).as(r.out() + r.err()).isTrue();
        assertThat(m.group(1))
                .as(r.out())
                .startsWith("java.io.IOException")
                .contains("real uid 0")
                .contains("bin/netvirt-run");
    }

    /** Runs in the child: {@code true} in a namespace of its own. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            try (NetNamespace ns = NetNamespace.ephemeral()) {
                System.out.println("RAN " + ns.exec("true"));
            } catch (Exception e) {
                System.out.println("THROWN " + e.getClass().getName() + ": " + e.getMessage());
            }
        }
    }
}
