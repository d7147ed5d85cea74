package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.ChildJvm;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The devices a topology made in an adopted namespace that the record's way (its name, its pid) no
 * longer leads to, while the namespace lives on held by another process: a cleanup cannot reach them,
 * and nothing proves them gone, so it reports them and keeps the record, as it does a fault's parts
 * there ({@link UnprovenFaultRecordTest}); it never deletes the record silently.
 */
@RequiresRoot
class AdoptedNamespaceUnreachedTest {
    private static final long DEAD = 99999999;

    /** The names of the links of the namespace process {@code pid} is in, as {@code ip -j} lists them. */
    private static List<String> linksOf(long pid) {
        return AdoptTest.links("nsenter", "-t", Long.toString(pid), "-n", "ip").stream()
                .map(l -> l.substring(0, l.indexOf(' ')))
                .toList();
    }

    private static long cookieOf(long pid) {
        try (NetNamespace ns = NetNamespace.ofProcess(pid)) {
            return ns.cookie();
        } catch (RuntimeException notYet) {
            return 0;
        }
    }

    /** Waits until process {@code pid} is in the namespace of {@code cookie} (a command that enters it, then execs). */
    private static void awaitIn(long pid, long cookie) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (cookieOf(pid) != cookie
                || !Files.readString(Path.of("/proc/" + pid + "/cmdline")).startsWith("sleep")) {
            assertThat(System.nanoTime())
                    .as("process %s never entered the namespace", pid)
                    .isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static void end(Process p) throws Exception {
        if (p != null) {
            p.destroyForcibly();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void devicesInAnAdoptedNamespaceWhoseNameWasRemovedAreReportedAndTheRecordKept() throws Exception {
        String p = TestNames.unique("fo") + "-";
        String adopted = p + "ad";
        Path runDir = Files.createTempDirectory("netvirt-run");
        Process holder = null;
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p)) {
            Ip.ok("netns", "add", adopted);
            long cookie;
            try (NetNamespace ns = NetNamespace.open(adopted)) {
                cookie = ns.cookie();
            }
            holder = new ProcessBuilder("ip", "netns", "exec", adopted, "sleep", "1000").start();
            awaitIn(holder.pid(), cookie);
            Process child = ChildJvm.startUntil(
                    "applied",
                    List.of("-Dnetvirt.run.dir=" + runDir, "-Dnetvirt.reaper=false"),
                    AdoptChild.class,
                    p,
                    adopted);
            IdentityCleanupTest.kill9(child);
            Ip.ok("netns", "del", adopted); // the namespace lives on, held by the sleep
            assertThat(linksOf(holder.pid())).contains("cbr", "cin0", "c0");

            CleanupReport r = Cleaner.cleanup(new RunDir(runDir));

            assertThat(r.leftAlone())
                    .as("%s", r)
                    .anyMatch(s -> s.contains("adopted netns " + adopted)
                            && s.contains("no longer leads to namespace cookie " + Long.toUnsignedString(cookie))
                            && s.contains("the record is kept"));
            assertThat(r.removed()).as("%s", r).contains("netns " + p + "srv");
            assertThat(IdentityCleanupTest.records(runDir)).as("%s", r).hasSize(1);
            // c0 went with its peer in the topology's own namespace, which the cleanup removed
            assertThat(linksOf(holder.pid())).as("%s", r).contains("cbr", "cin0", "cin1");

            // nothing proves the namespace gone after its holder ends either: still reported, never dropped
            end(holder);
            holder = null;
            CleanupReport again = Cleaner.cleanup(new RunDir(runDir));
            assertThat(again.leftAlone()).as("%s", again).anyMatch(s -> s.contains("adopted netns " + adopted));
            assertThat(IdentityCleanupTest.records(runDir)).as("%s", again).hasSize(1);
        } finally {
            end(holder);
            IdentityCleanupTest.deleteRunDir(runDir);
        }
    }

    /** An adoption by pid, as a record of a killed JVM lists it ({@code detached}: a detached topology's). */
    private void adoptedByPidWhoseProcessEnded(boolean detached) throws Exception {
        String bridge = TestNames.unique("fo") + "b";
        int group = 0x40000000 | ThreadLocalRandom.current().nextInt(1, 0x3fffffff);
        Path runDir = Files.createTempDirectory(Path.of("/run"), "netvirt-test-");
        Path record = runDir.resolve(DEAD + "-1-1.topology");
        Process adopted = null;
        Process holder = null;
        try {
            adopted = new ProcessBuilder("unshare", "-n", "sleep", "1000").start();
            long self = cookieOf(ProcessHandle.current().pid());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (cookieOf(adopted.pid()) == self || cookieOf(adopted.pid()) == 0) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(10);
            }
            long cookie = cookieOf(adopted.pid());
            String pid = Long.toString(adopted.pid());
            holder = new ProcessBuilder("nsenter", "-t", pid, "-n", "sleep", "1000").start();
            awaitIn(holder.pid(), cookie);
            Ip.exec(List.of("nsenter", "-t", pid, "-n", "ip", "link", "add", bridge, "type", "bridge"))
                    .ok();
            Ip.exec(List.of(
                            "nsenter",
                            "-t",
                            pid,
                            "-n",
                            "ip",
                            "link",
                            "set",
                            bridge,
                            "group",
                            Integer.toUnsignedString(group)))
                    .ok();
            Files.writeString(
                    record,
                    CrashRecord.MAGIC + "\nowner " + DEAD + " 1\nboot " + Owner.bootId() + "\ntopology x\nadopted "
                            + Long.toUnsignedString(cookie) + " " + Integer.toUnsignedString(group) + " pid " + pid
                            + "\n" + (detached ? "kept\n" : ""));
            end(adopted); // the namespace lives on, held by the holder
            adopted = null;

            CleanupReport r = Cleaner.cleanup(new RunDir(runDir));

            assertThat(linksOf(holder.pid())).as("%s", r).contains(bridge);
            assertThat(record).as("%s", r).exists();
            assertThat(r.removed()).as("%s", r).isEmpty();
            if (detached) {
                assertThat(r.leftAlone()).as("%s", r).anyMatch(s -> s.contains("detached, left running"));
            } else {
                assertThat(r.leftAlone())
                        .as("%s", r)
                        .anyMatch(s -> s.contains("devices of group " + Integer.toUnsignedString(group))
                                && s.contains("adopted namespace of pid " + pid)
                                && s.contains("the record is kept"));
            }
        } finally {
            end(adopted);
            end(holder);
            IdentityCleanupTest.deleteRunDir(runDir);
        }
    }

    @Test
    void devicesInANamespaceAdoptedByAPidThatEndedAreReportedAndTheRecordKept() throws Exception {
        adoptedByPidWhoseProcessEnded(false);
    }

    @Test
    void aDetachedTopologysDevicesInANamespaceAdoptedByAPidThatEndedAreNotTakenForGone() throws Exception {
        adoptedByPidWhoseProcessEnded(true);
    }
}
