package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.ChildJvm;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.OpenFds;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@RequiresRoot
class LifetimeTest {
    /** A named namespace that holds the peer of a veth made in an ephemeral one, to watch it vanish. */
    @RegisterExtension
    final DeleteNetnsAfter witness = DeleteNetnsAfter.of(TestNames.unique("nvw"));

    @Test
    void ephemeralNamespaceVanishesOnCloseWithItsDevices() throws Exception {
        try (NetNamespace w = NetNamespace.create(witness.name())) {
            NetNamespace e = NetNamespace.ephemeral();
            ExecResult r = e.exec(
                    "ip", "link", "add", "nve0", "type", "veth", "peer", "name", "nvpeer", "netns", witness.name());
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(Ip.ok("-n", witness.name(), "-o", "link")).contains("nvpeer");
            e.close();
            awaitGone(witness.name(), "nvpeer");
            w.delete();
        }
    }

    @Test
    void ephemeralNamespaceVanishesWhenItsJvmIsKilled() throws Exception {
        try (NetNamespace w = NetNamespace.create(witness.name())) {
            Process child = ChildJvm.startUntil("READY", List.of(), EphemeralHolder.class, witness.name());
            try {
                assertThat(Ip.ok("-n", witness.name(), "-o", "link")).contains("nvheld");
                child.destroyForcibly(); // SIGKILL
                assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            } finally {
                child.destroyForcibly();
            }
            awaitGone(witness.name(), "nvheld");
            w.delete();
        }
    }

    @Test
    void fiveHundredCreateCloseCyclesLeakNoFdsThreadsOrMounts() throws Exception {
        cycle(TestNames.unique("nvc"), 20); // warm up the switching threads and JNA
        OpenFds fds = OpenFds.now();
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        String base = TestNames.unique("nvc");
        cycle(base, 500);
        // resident threads exit when their handle closes; give the pools a moment to finish
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (ManagementFactory.getThreadMXBean().getThreadCount() > threads && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        fds.awaitNoneLeaked("500 create/close cycles", 5);
        assertThat(ManagementFactory.getThreadMXBean().getThreadCount()).isLessThanOrEqualTo(threads);
        // other processes mount namespaces too: count only this test's
        assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo")))
                .noneMatch(l -> l.contains("/run/netns/" + base + "-"));
    }

    private static void cycle(String base, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            if (i % 2 == 0) {
                try (NetNamespace ns = NetNamespace.ephemeral()) {
                    ns.call(NetNamespace::currentThreadId);
                }
            } else {
                NetNamespace ns = NetNamespace.create(base + "-" + i);
                ns.run(() -> {});
                ns.inside(NetNamespace::currentThreadId);
                ns.delete();
            }
        }
    }

    /**
     * Deletion is asynchronous: the kernel removes a dead namespace's devices a few ms later, or
     * seconds on a busy host (one cleanup queue for the whole machine).
     */
    static void awaitGone(String ns, String link) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Ip.run("-n", ns, "link", "show", link).exitCode() != 0) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError(link + " still present in " + ns + " after 60 s");
    }

    /** Child JVM: holds an ephemeral namespace with a veth whose peer lives in the witness namespace. */
    public static final class EphemeralHolder {
        public static void main(String[] args) throws Exception {
            NetNamespace e = NetNamespace.ephemeral();
            ExecResult r =
                    e.exec("ip", "link", "add", "nve0", "type", "veth", "peer", "name", "nvheld", "netns", args[0]);
            if (!r.ok()) {
                System.out.println("FAILED " + r.stderr());
                System.exit(1);
            }
            System.out.println("READY");
            System.out.flush();
            Thread.sleep(60_000);
            System.exit(2); // never reached in the test: it is killed first
        }
    }

    @SuppressWarnings("unused")
    private static String classpath() {
        return System.getProperty("java.class.path").replace(File.pathSeparatorChar, ':');
    }
}
