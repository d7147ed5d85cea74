package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Handles on namespaces netvirt did not make: a process's, and a second handle of one's own. */
@RequiresRoot
class OtherHandlesTest {
    @Test
    void theNamespaceOfAProcessIsOpenedByPidAndOutlivesIt() throws Exception {
        Process p = new ProcessBuilder("unshare", "--net", "sleep", "1000").start();
        try {
            long root;
            try (NetNamespace r = NetNamespace.root()) {
                root = r.cookie();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            NetNamespace ns = NetNamespace.ofProcess(p.pid());
            while (ns.cookie() == root && System.nanoTime() < deadline) { // until unshare has unshared
                ns.close();
                Thread.sleep(10);
                ns = NetNamespace.ofProcess(p.pid());
            }
            try (NetNamespace held = ns) {
                assertThat(held.cookie()).isNotEqualTo(root);
                assertThat(held.name()).isEmpty();
                p.destroyForcibly();
                assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(held.exec("ip", "-o", "link").stdout()).contains("lo");
            }
            long gone = p.pid();
            assertThatThrownBy(() -> NetNamespace.ofProcess(gone))
                    .isInstanceOf(NetnsException.class)
                    .hasMessageContaining("no process " + gone);
            assertThatThrownBy(() -> NetNamespace.ofProcess(0)).isInstanceOf(IllegalArgumentException.class);
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aReopenedHandleIsIndependentOfTheOriginal() throws Exception {
        String name = TestNames.unique("oh");
        try (NetNamespace made = NetNamespace.create(name)) {
            NetNamespace again = made.reopen();
            try (again) {
                assertThat(again.cookie()).isEqualTo(made.cookie());
                assertThat(again.name()).contains(name);
                made.close();
                assertThat(again.exec("ip", "-o", "link").ok()).isTrue();
            }
            assertThatThrownBy(made::reopen).isInstanceOf(IllegalStateException.class);
        } finally {
            NetNamespace.delete(name);
        }
    }
}
