package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.Sandboxed;
import io.github.netvirt.netns.testing.TestNames;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** bin/netvirt-run, the user-namespace sandbox, and how netvirt tells it is in one. */
class SandboxTest {
    @Test
    void theInitialUserNamespaceIsNoSandboxAnyOtherIs() {
        Sandbox machine = Sandbox.of("user:[4026531837]", List.of("         0          0 4294967295"));
        assertThat(machine.active()).isFalse();
        assertThat(machine.uidMap()).isEqualTo("0 0 4294967295");
        assertThat(machine.toString()).contains("none");
        Sandbox sandbox = Sandbox.of("user:[4026532179]", List.of("         0      65534          1"));
        assertThat(sandbox.active()).isTrue();
        assertThat(sandbox.uidMap()).isEqualTo("0 65534 1");
        assertThat(sandbox.toString())
                .contains("4026532179")
                .contains("0 65534 1")
                .contains("not the machine's");
        // a full identity map does not make the initial namespace: the inode does
        assertThat(Sandbox.of("user:[4026532180]", List.of("0 0 4294967295")).active())
                .isTrue();
        assertThatThrownBy(() -> Sandbox.of("net:[4026531833]", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Runs {@link SandboxProbe} through {@code launch} with namespace {@code name}: it exits 0, and its
     * named namespace {@code name} was listed and then deleted inside.
     */
    private static Ip.Result probe(BiFunction<String, String, Ip.Result> launch, String name) {
        Ip.Result r = launch.apply(SandboxProbe.class.getName(), name).ok();
        assertThat(r.out()).contains("named: [" + name + "]").contains("after delete: []");
        return r;
    }

    @Test
    void insideTheLauncherNetvirtKnowsItIsSandboxedAndNamedNamespacesWork() {
        String name = TestNames.unique("sbx");
        Ip.Result r = probe(Sandboxed::java, name);
        assertThat(r.out())
                .contains("sandbox: Sandbox[user namespace ")
                .contains("root: NetNamespace[root, in a user-namespace sandbox]");
        assertThat(r.err()).contains("netvirt runs in a user-namespace sandbox");
        // the sandbox's /run is private: its namespace never appeared on the machine
        assertThat(NetNamespace.exists(name)).isFalse();
    }

    @Test
    @RequiresRoot
    void asNobodyTooNetvirtRunsInTheSandbox() {
        assertThat(probe(Sandboxed::javaAsNobody, TestNames.unique("sbx")).out())
                .contains("uid_map 0 65534 1");
    }

    @Test
    void theLauncherNamesTheSettingsThatForbidUserNamespaces() {
        // A user namespace of our own in which nested user namespaces are forbidden
        // (user.max_user_namespaces is per user namespace), with the AppArmor and Debian switches,
        // which this kernel lacks, laid over /proc/sys/kernel in a mount namespace of our own.
        String script = "echo 0 > /proc/sys/user/max_user_namespaces"
                + " && mount -t tmpfs none /proc/sys/kernel"
                + " && echo 1 > /proc/sys/kernel/apparmor_restrict_unprivileged_userns"
                + " && echo 0 > /proc/sys/kernel/unprivileged_userns_clone"
                + " && exec \"$0\" true";
        Ip.Result r = Ip.exec(List.of(
                "unshare",
                "--user",
                "--map-root-user",
                "--mount",
                "--propagation",
                "private",
                "sh",
                "-c",
                script,
                Sandboxed.launcher().toString()));
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(125);
        assertThat(r.err())
                .contains("netvirt-run: cannot make the sandbox")
                .contains("forbids unprivileged user namespaces")
                .contains("user.max_user_namespaces = 0")
                .contains("kernel.apparmor_restrict_unprivileged_userns = 1")
                .contains("kernel.unprivileged_userns_clone = 0");
    }

    @Test
    void theCommandsExitStatusIsTheLaunchersOwn() {
        Ip.Result r = Ip.exec(List.of(Sandboxed.launcher().toString(), "sh", "-c", "exit 7"));
        assertThat(r.exitCode()).as(r.err()).isEqualTo(7);
    }
}
