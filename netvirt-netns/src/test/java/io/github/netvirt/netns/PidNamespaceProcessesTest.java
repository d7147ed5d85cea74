package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.ChildJvm;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A JVM that is pid 1 of a pid namespace of its own, with a /proc of that namespace
 * ({@code --mount-proc}) or the machine's: a command runs inside the namespace it was started in (nsenter
 * opens the namespace through the JVM's fd in /proc, by the pid /proc gives the JVM), and close() ends
 * it without looking for it under another process's pid.
 */
@RequiresRoot
class PidNamespaceProcessesTest {
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aJvmInItsOwnPidNamespaceStartsAndEndsItsProcessesInside(boolean mountProc) throws Exception {
        String name = TestNames.unique("gd");
        List<String> unshare = mountProc
                ? List.of("unshare", "--pid", "--fork", "--kill-child", "--mount-proc", "--propagation", "slave")
                : List.of("unshare", "--pid", "--fork", "--kill-child");
        try {
            String out = ChildJvm.runUnder(unshare, Child.class, 60, name);
            assertThat(out).contains("entered true", "exit 0", "ended true").doesNotContain("still exist");
        } finally {
            if (NetNamespace.exists(name)) {
                NetNamespace.delete(name);
            }
        }
    }

    /** {@code Child NAME}: creates namespace NAME, runs a command inside, starts a sleep, closes, deletes. */
    public static final class Child {
        private Child() {}

        public static void main(String[] args) throws Exception {
            System.out.println("pid " + ProcessHandle.current().pid());
            try (NetNamespace ns = NetNamespace.create(args[0])) {
                try {
                    ExecResult r = ns.exec("readlink", "/proc/self/ns/net");
                    System.out.println("exit " + r.exitCode() + " " + r.stderr().trim());
                    System.out.println("entered " + r.stdout().trim().equals("net:[" + ns.inode() + "]"));
                    Process sleep = ns.start(new ProcessBuilder("sleep", "60"));
                    ns.close();
                    System.out.println("ended " + !sleep.isAlive());
                } finally {
                    NetNamespace.delete(args[0]);
                }
            }
            System.out.flush();
        }
    }
}
