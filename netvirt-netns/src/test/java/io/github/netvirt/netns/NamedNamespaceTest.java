package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

@RequiresRoot
class NamedNamespaceTest {

    @Test
    void createdNamespaceIsAnIpNetnsWithLoUpAndDeleteRemovesItAndItsMount() throws Exception {
        String name = TestNames.unique("nvns");
        try (NetNamespace ns = NetNamespace.create(name)) {
            assertThat(Ip.ok("netns", "list")).containsPattern("(?m)^" + name + "( |$)");
            assertThat(NetNamespace.list()).contains(name);
            assertThat(NetNamespace.exists(name)).isTrue();
            assertThat(Ip.ok("-n", name, "-o", "link", "show", "lo")).contains("<LOOPBACK,UP,LOWER_UP>");
            assertThat(mountinfo()).contains(" /run/netns/" + name + " ");
            assertThat(ns.name()).contains(name);
            ns.delete();
        }
        assertThat(Ip.ok("netns", "list")).doesNotContain(name);
        assertThat(NetNamespace.exists(name)).isFalse();
        assertThat(mountinfo()).doesNotContain(" /run/netns/" + name + " ");
    }

    @Test
    void namespaceMadeByIpNetnsAddOpensInNetvirt() throws Exception {
        String name = TestNames.unique("nvns");
        Ip.ok("netns", "add", name);
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.of(name)) {
            Ip.ok("-n", name, "link", "add", "nvx0", "type", "veth", "peer", "name", "nvx1");
            try (NetNamespace ns = NetNamespace.open(name)) {
                assertThat(ns.exec("ip", "-o", "link").stdout())
                        .contains("nvx0")
                        .contains("nvx1");
                assertThat(ns.call(NetNamespace::currentThreadId)).isEqualTo(ns.id());
            }
            NetNamespace.delete(name);
            assertThat(Ip.ok("netns", "list")).doesNotContain(name);
        }
    }

    @Test
    void openedHandleOutlivesDeletionOfTheName() throws Exception {
        String name = TestNames.unique("nvns");
        try (NetNamespace ns = NetNamespace.create(name)) {
            NetNamespace.delete(name);
            assertThat(NetNamespace.exists(name)).isFalse();
            // the fd still holds the namespace: code still runs inside it
            assertThat(ns.call(NetNamespace::currentThreadId)).isEqualTo(ns.id());
        }
    }

    @Test
    void deleteLeavesTheNameAloneOnceItHoldsSomeoneElsesNamespace() throws Exception {
        String name = TestNames.unique("ra-del");
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.of(name)) {
            NetNamespace ns = NetNamespace.create(name);
            // someone else removes the name and makes a namespace of their own under it
            Ip.ok("netns", "del", name);
            Ip.ok("netns", "add", name);
            Ip.ok("-n", name, "link", "add", "ra-theirs", "type", "bridge");
            ns.delete();
            assertThat(ns.isOpen()).isFalse();
            assertThat(Ip.ok("netns", "list")).containsPattern("(?m)^" + name + "( |$)");
            assertThat(Ip.ok("-n", name, "-o", "link")).contains("ra-theirs");
        }
    }

    @Test
    void attachNamesAnEphemeralNamespace() throws Exception {
        String name = TestNames.unique("nvatt");
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.of(name);
                NetNamespace e = NetNamespace.ephemeral();
                NetNamespace named = e.attach(name)) {
            assertThat(named.name()).contains(name);
            assertThat(named.inode()).isEqualTo(e.inode());
            assertThat(Ip.ok("-n", name, "-o", "link", "show", "lo")).contains("UP");
            assertThatThrownBy(() -> e.attach(name))
                    .isInstanceOf(NetnsException.class)
                    .hasMessageContaining("already exists");
            named.delete();
        }
        assertThat(NetNamespace.exists(name)).isFalse();
    }

    @Test
    void createManyNamesEachWithLoUpOnTwoThreads() throws Exception {
        String p = TestNames.unique("nvm");
        List<String> names = List.of(p + "a", p + "b", p + "c", p + "d");
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p)) {
            List<NetNamespace> made = NetNamespace.create(names);
            assertThat(made).extracting(ns -> ns.name().orElseThrow()).containsExactlyElementsOf(names);
            assertThat(made.stream().map(NetNamespace::inode).distinct()).hasSize(names.size());
            for (NetNamespace ns : made) {
                String name = ns.name().orElseThrow();
                assertThat(Ip.ok("netns", "list")).containsPattern("(?m)^" + name + "( |$)");
                assertThat(Ip.ok("-n", name, "-o", "link", "show", "lo")).contains("<LOOPBACK,UP,LOWER_UP>");
                // the name holds the namespace the handle holds
                assertThat(ns.exec("ip", "-o", "link", "show", "lo").stdout()).contains("UP");
                try (NetNamespace byName = NetNamespace.open(name)) {
                    assertThat(byName.inode()).isEqualTo(ns.inode());
                }
                ns.delete();
            }
        }
        for (String name : names) {
            assertThat(NetNamespace.exists(name)).isFalse();
            assertThat(mountinfo()).doesNotContain(" /run/netns/" + name + " ");
        }
    }

    @Test
    void createManyWithATakenNameLeavesNothingAndTheTakenOneAlone() throws Exception {
        String p = TestNames.unique("nvm");
        String a = p + "a";
        String b = p + "b";
        String taken = p + "taken";
        String d = p + "d";
        Ip.ok("netns", "add", taken);
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p)) {
            Ip.ok("-n", taken, "link", "add", "nvm-theirs", "type", "bridge");
            // some are made before one thread fails at taken: all of them are deleted
            assertThatThrownBy(() -> NetNamespace.create(List.of(a, b, taken, d)))
                    .isInstanceOfSatisfying(
                            NetnsException.class,
                            e -> assertThat(e.is(Errno.EEXIST)).isTrue())
                    .hasMessageContaining("network namespace \"" + taken + "\" already exists");
            for (String name : List.of(a, b, d)) {
                assertThat(NetNamespace.exists(name)).as(name).isFalse();
                assertThat(mountinfo()).doesNotContain(" /run/netns/" + name + " ");
            }
            assertThat(Ip.ok("-n", taken, "-o", "link")).contains("nvm-theirs");
        }
    }

    @Test
    void createManyRefusesANameGivenTwiceBeforeMakingAny() {
        String p = TestNames.unique("nvm");
        String a = p + "a";
        String b = p + "b";
        assertThatThrownBy(() -> NetNamespace.create(List.of(a, b, a)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + a + "\" is named twice");
        assertThatThrownBy(() -> NetNamespace.create(List.of(a, "bad/name")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(NetNamespace.exists(a)).isFalse();
        assertThat(NetNamespace.exists(b)).isFalse();
    }

    static String mountinfo() throws Exception {
        return Files.readString(Path.of("/proc/self/mountinfo"));
    }
}
