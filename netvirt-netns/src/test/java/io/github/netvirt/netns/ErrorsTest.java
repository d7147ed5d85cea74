package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ErrorsTest {

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a/b", "/etc", "tab\there", "nl\nx", "del\u007f"})
    void badNamesAreRejectedBeforeAnythingIsTouched(String bad) {
        assertThatThrownBy(() -> NetNamespace.create(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("namespace name");
        assertThatThrownBy(() -> NetNamespace.open(bad)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NetNamespace.delete(bad)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badNameMessagesNameTheValue() {
        assertThatThrownBy(() -> NetNamespace.create("a/b")).hasMessageContaining("\"a/b\"");
        assertThatThrownBy(() -> NetNamespace.create("x\ty")).hasMessageContaining("\"x\\x09y\"");
        assertThatThrownBy(() -> NetNamespace.create((String) null)).hasMessageContaining("null");
        String tooLong = "n".repeat(256);
        assertThatThrownBy(() -> NetNamespace.create(tooLong))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("256 bytes, at most 255");
        // multibyte characters count as bytes
        assertThatThrownBy(() -> NetNamespace.create("é".repeat(128))).hasMessageContaining("256 bytes");
    }

    @Test
    @RequiresRoot
    void missingNamespaceIsEnoent() {
        String name = TestNames.unique("nvmissing");
        assertThatThrownBy(() -> NetNamespace.open(name))
                .isInstanceOfSatisfying(
                        NetnsException.class, e -> assertThat(e.errnoConstant()).isEqualTo(Errno.ENOENT))
                .hasMessageContaining("no network namespace named \"" + name + "\"")
                .hasMessageContaining("ENOENT");
        assertThatThrownBy(() -> NetNamespace.delete(name))
                .isInstanceOfSatisfying(
                        NetnsException.class, e -> assertThat(e.errno()).isEqualTo(2));
    }

    @Test
    @RequiresRoot
    void duplicateNamespaceIsEexistAndLeavesTheFirstIntact() throws Exception {
        String name = TestNames.unique("nvdup");
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.of(name);
                NetNamespace first = NetNamespace.create(name)) {
            assertThatThrownBy(() -> NetNamespace.create(name))
                    .isInstanceOfSatisfying(
                            NetnsException.class,
                            e -> assertThat(e.is(Errno.EEXIST)).isTrue())
                    .hasMessageContaining("network namespace \"" + name + "\" already exists")
                    .hasMessageContaining("EEXIST (17");
            // the failed attempt must not have disturbed the existing one
            assertThat(Ip.ok("-n", name, "-o", "link", "show", "lo")).contains("UP");
            first.delete();
        }
    }

    @Test
    @RequiresRoot
    void closedHandleRefusesWork() {
        NetNamespace ns = NetNamespace.ephemeral();
        ns.close();
        ns.close(); // idempotent
        assertThatThrownBy(ns::fd).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> ns.run(() -> {})).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(ns::delete).hasMessageContaining("only a named namespace");
    }

    @Test
    @RequiresRoot
    void withoutCapabilitiesCreateSaysWhatIsNeeded() throws Exception {
        // a child JVM whose capability bounding set lacks CAP_SYS_ADMIN and CAP_NET_ADMIN
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Ip.Result r = Ip.exec(List.of(
                "setpriv",
                "--bounding-set",
                "-sys_admin,-net_admin",
                "--inh-caps",
                "-sys_admin,-net_admin",
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                Unprivileged.class.getName(),
                TestNames.unique("nvperm")));
        assertThat(r.out()).as(r.err()).contains("EPERM").contains("CAP_NET_ADMIN and CAP_SYS_ADMIN");
    }

    public static final class Unprivileged {
        public static void main(String[] args) {
            try {
                NetNamespace.create(args[0]).delete();
                System.out.println("UNEXPECTED success");
            } catch (NetnsException e) {
                System.out.println(e.getMessage());
            }
        }
    }
}
