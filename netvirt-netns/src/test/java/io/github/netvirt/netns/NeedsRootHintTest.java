package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.ChildJvm;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.Sandboxed;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The "needs root" hint a refusal carries tells a user what is missing and what to do without root:
 * which of the two capabilities this process lacks, and netvirt's user-namespace sandbox; inside the
 * sandbox, where the refusal is the machine's, it does not send the user to the sandbox again.
 */
@RequiresRoot
class NeedsRootHintTest {
    @Test
    void outsideASandboxTheHintNamesTheMissingCapabilityAndTheSandbox() throws Exception {
        List<String> root = List.of("setpriv", "--inh-caps=-all", "--bounding-set=-all,+net_admin,+setfcap");
        String out = ChildJvm.runUnder(root, Child.class, 60, "ephemeral");
        String thrown = thrown(out);
        assertThat(thrown)
                .contains("EPERM")
                .contains("needs root or CAP_NET_ADMIN and CAP_SYS_ADMIN")
                .contains("lacks CAP_SYS_ADMIN")
                .doesNotContain("lacks CAP_NET_ADMIN")
                .contains("bin/netvirt-run");
        assertThat(sandboxUnder(root).exitCode())
                .as("the sandbox the hint names")
                .isZero();
    }

    /**
     * The kernel lets root map itself to root of a new user namespace only with CAP_SETFCAP (Linux
     * 5.12+): a root without it (a bounding set that drops it) cannot make the sandbox, and a hint that
     * sends it there sends it to "netvirt-run: cannot make the sandbox".
     */
    @Test
    void aRootThatCannotMakeTheSandboxIsNotSentToIt() throws Exception {
        List<String> root = List.of("setpriv", "--inh-caps=-all", "--bounding-set=-all,+net_admin");
        Ip.Result sandbox = sandboxUnder(root);
        assertThat(sandbox.exitCode()).as(sandbox.err()).isEqualTo(125);
        String thrown = thrown(ChildJvm.runUnder(root, Child.class, 60, "ephemeral"));
        assertThat(thrown)
                .contains("EPERM")
                .contains("needs root or CAP_NET_ADMIN and CAP_SYS_ADMIN")
                .contains("lacks CAP_SYS_ADMIN")
                .doesNotContain("bin/netvirt-run");
    }

    private static Ip.Result sandboxUnder(List<String> prefix) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(Sandboxed.launcher().toString(), "true"));
        return Ip.exec(cmd);
    }

    @Test
    void insideTheSandboxTheHintDoesNotNameTheSandbox() {
        Ip.Result r = Sandboxed.java(Child.class.getName(), "init");
        String thrown = thrown(r.out() + r.err());
        assertThat(thrown) // the machine's init's namespace file: EACCES to the sandbox's root
                .contains("EACCES")
                .contains("needs root or CAP_NET_ADMIN and CAP_SYS_ADMIN")
                .doesNotContain("bin/netvirt-run");
    }

    private static String thrown(String out) {
        Matcher m = Pattern.compile("(?m)^THROWN (.*)$").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return m.group(1);
    }

    /** Runs in the child: an unnamed namespace ("ephemeral"), or a call in init's ("init"). */
    public static final class Child {
        public static void main(String[] args) {
            try {
                if (args[0].equals("ephemeral")) {
                    NetNamespace.ephemeral().close();
                } else {
                    try (NetNamespace init = NetNamespace.ofProcess(1)) {
                        init.call(() -> null);
                    }
                }
                System.out.println("DONE");
            } catch (Exception e) {
                System.out.println("THROWN " + e.getClass().getName() + ": " + e.getMessage());
            }
        }
    }
}
