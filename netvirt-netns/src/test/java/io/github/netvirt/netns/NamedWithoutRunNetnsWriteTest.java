package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.Sandboxed;
import io.github.netvirt.netns.testing.TestNames;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A user other than root with CAP_NET_ADMIN and CAP_SYS_ADMIN makes unnamed namespaces, but may not
 * write root's {@code /run/netns} (0755). Naming one fails with EACCES, and the message says where
 * and what would let it in, not a bare {@code cannot create network namespace "x": EACCES}. A child
 * JVM runs as nobody with the two capabilities ambient.
 */
@RequiresRoot
class NamedWithoutRunNetnsWriteTest {
    @Test
    void anEaccesInRunNetnsNamesTheDirectoryAndWhatLetsAUserIn() {
        String name = TestNames.unique("nvrw");
        Ip.Result r = Sandboxed.javaAsNobodyWithCapabilities("+net_admin,+sys_admin", Child.class.getName(), name);
        Matcher m = Pattern.compile("(?m)^THROWN (.*)$").matcher(r.out());
        assertThat(m.find()).as(r.out() + r.err()).isTrue();
        assertThat(m.group(1))
                .as(r.out())
                .contains("EACCES")
                .contains("/run/netns")
                .contains("CAP_DAC_OVERRIDE")
                .contains("bin/netvirt-run");
        assertThat(NetNamespace.exists(name)).isFalse();
    }

    /** Runs in the child: one named namespace. */
    public static final class Child {
        public static void main(String[] args) {
            try {
                NetNamespace.create(args[0]).delete();
                System.out.println("CREATED");
            } catch (RuntimeException e) {
                System.out.println("THROWN " + e.getClass().getName() + ": " + e.getMessage());
            }
        }
    }
}
