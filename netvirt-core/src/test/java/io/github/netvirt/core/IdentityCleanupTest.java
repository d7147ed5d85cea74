package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NameState;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.FileStat;
import io.github.netvirt.netns.testing.ChildJvm;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A dead owner's names taken over by someone else: cleanup must prove identity, not trust names or
 * nsfs inode numbers (the kernel hands freed ones straight back).
 */
@RequiresRoot
class IdentityCleanupTest {
    private static final int HOSTS = 20;

    static Process startHeld(Path runDir, String... args) throws Exception {
        return ChildJvm.startUntil("applied", List.of("-Dnetvirt.run.dir=" + runDir), HoldChild.class, args);
    }

    static void kill9(Process p) throws Exception {
        assertThat(Ip.exec(List.of("kill", "-9", Long.toString(p.pid()))).exitCode())
                .isZero();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    /** The crash records in {@code dir}. */
    static List<Path> records(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.filter(f -> f.toString().endsWith(".topology")).toList();
        }
    }

    static void deleteRunDir(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            for (Path f : s.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    static long inode(String ns) throws Exception {
        return ((Number) Files.getAttribute(Path.of("/run/netns", ns), "unix:ino")).longValue();
    }

    @Test
    void namespacesThatReuseADeadOwnersNamesAndInodesSurviveCleanup() throws Exception {
        String p = TestNames.unique("ic") + "-";
        String root = p.replace("-", "") + "r"; // root ends of veths: they go when their namespace is destroyed
        Path runDir = Files.createTempDirectory("netvirt-run");
        try {
            Process child = startHeld(runDir, p, Integer.toString(HOSTS), root);
            kill9(child);
            List<String> left = Reference.namespaces(p);
            assertThat(left).hasSize(HOSTS + 1);
            List<Long> before = new ArrayList<>();
            for (String n : left) {
                before.add(inode(n));
                Ip.ok("netns", "del", n);
            }
            // the kernel destroys namespaces asynchronously, freeing their inode numbers as it does
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Reference.rootLinks(root).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(200);
            List<String> byInode = new ArrayList<>(left);
            byInode.sort(Comparator.comparing(n -> before.get(left.indexOf(n))));
            int reused = 0;
            for (String n : byInode) {
                Ip.ok("netns", "add", n);
                if (inode(n) == before.get(left.indexOf(n))) {
                    reused++;
                }
            }
            System.out.println("nsfs inodes handed back to the foreign namespaces: " + reused + " of " + left.size());
            CleanupReport r = Cleaner.cleanup(new RunDir(runDir));
            System.out.println("cleanup: " + r);
            assertThat(Reference.namespaces(p))
                    .as("foreign namespaces after cleanup")
                    .isEqualTo(left);
            assertThat(r.removed()).isEmpty();
            assertThat(r.leftAlone())
                    .hasSize(left.size())
                    .allMatch(l -> l.contains("the name now holds another namespace"));
            assertThat(records(runDir)).as("the record, once dealt with").isEmpty();
        } finally {
            Reference.deleteNamespaces(p);
            Reference.rootLinks(root).forEach(l -> Ip.run("link", "del", l));
            deleteRunDir(runDir);
        }
    }

    @Test
    void closeLeavesANamespaceNameTakenOverBySomeoneElse() {
        // reproducer: the old close() removed the names it had made, whatever they held by then
        String p = TestNames.unique("ic") + "-";
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p)) {
            Topology t = Seeds.seed().prefix(p).apply();
            Ip.ok("netns", "del", p + "net1");
            Ip.ok("netns", "add", p + "net1");
            t.close();
            assertThat(Reference.namespaces(p)).containsExactly(p + "net1");
        }
    }

    @Test
    void applyWithAPendingInterruptCompletesAndKeepsTheFlag() {
        // reproducer: the crash record's FileChannel threw ClosedByInterruptException and apply failed
        String p = TestNames.unique("ic") + "-";
        Thread.currentThread().interrupt();
        try (Topology t = Seeds.seed().prefix(p).apply()) {
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(Reference.namespaces(p)).hasSize(3);
            assertThat(t.link("net0", "net0-bridge").isUp()).isTrue();
        } finally {
            assertThat(Thread.interrupted())
                    .as("the flag, kept through apply and close")
                    .isTrue();
            Reference.deleteNamespaces(p);
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    @Test
    void emptyFilesAKillLeavesAreRemovedOnlyWhenTheyAreTheRecordedOnes() throws Exception {
        // what a kill between umount and unlink (or while naming) leaves: an empty file, no namespace
        String mine = TestNames.unique("ic");
        String theirs = TestNames.unique("ic");
        long cookie = Long.MAX_VALUE - ProcessHandle.current().pid(); // no namespace has it
        Path runDir = Files.createTempDirectory("netvirt-run");
        Path staging = NetNamespace.attachingFile(cookie);
        try (NetNamespace keepsRunNetnsReady = NetNamespace.create(mine)) {
            NetNamespace.delete(mine);
            Path file = Files.createFile(Path.of("/run/netns", mine));
            Files.createFile(Path.of("/run/netns", theirs));
            Files.createFile(staging);
            Files.writeString(
                    runDir.resolve("99999999-1-1.topology"),
                    CrashRecord.MAGIC + "\nowner 99999999 1\nboot " + Owner.bootId() + "\n"
                            + "ns " + cookie + " " + mine + "\nns-file " + inodeOf(file) + " " + mine + " "
                            + birthOf(file) + "\n"
                            + "ns " + (cookie - 1) + " " + theirs + "\nns-file "
                            + (inodeOf(Path.of("/run/netns", theirs)) + 100_000)
                            + " " + theirs + " " + birthOf(Path.of("/run/netns", theirs)) + "\n");
            CleanupReport r = Cleaner.cleanup(new RunDir(runDir));
            assertThat(r.removed())
                    .containsExactlyInAnyOrder(
                            "netns " + mine + " (the empty file a kill left)",
                            "file " + staging + " (netns " + mine + " being named)");
            assertThat(r.leftAlone()).singleElement().asString().startsWith("netns " + theirs);
            assertThat(file).doesNotExist();
            assertThat(staging).doesNotExist();
            assertThat(Path.of("/run/netns", theirs)).exists();
        } finally {
            Files.deleteIfExists(Path.of("/run/netns", mine));
            Files.deleteIfExists(Path.of("/run/netns", theirs));
            Files.deleteIfExists(staging);
            deleteRunDir(runDir);
        }
    }

    @Test
    void stagingFilesADeadOwnerLeftAreRemovedAndNoOneElses() throws Exception {
        // where /run/netns makes no unnamed file, a name is taken through a file named for its owner:
        // a kill while it takes one leaves it (owner 99999999 started at 1); another owner's, a name
        // that only looks like one, and a namespace mounted on such a name are left alone
        String n = TestNames.unique("ic");
        Path runDir = Files.createTempDirectory("netvirt-run");
        Path mine = Path.of("/run/netns", ".netvirt-take-99999999-1-3");
        Path again = Path.of("/run/netns", ".netvirt-take-99999999-1-4");
        Path theirs = Path.of("/run/netns", ".netvirt-take-99999999-12-3");
        Path lookalike = Path.of("/run/netns", ".netvirt-take-99999999-1-x");
        List<Path> made = List.of(mine, theirs, lookalike);
        try (NetNamespace keepsRunNetnsReady = NetNamespace.create(n)) {
            NetNamespace.delete(n);
            for (Path f : made) {
                Files.createFile(f);
            }
            try (NetNamespace held = NetNamespace.ephemeral();
                    NetNamespace mounted = held.attach(again.getFileName().toString())) {
                Files.writeString(
                        runDir.resolve("99999999-1-1.topology"),
                        CrashRecord.MAGIC + "\nowner 99999999 1\nboot " + Owner.bootId() + "\n");
                CleanupReport r = Cleaner.cleanup(new RunDir(runDir));
                assertThat(r.removed()).containsExactly("file " + mine + " (a name being taken)");
                assertThat(mine).doesNotExist();
                assertThat(theirs).exists();
                assertThat(lookalike).exists();
                assertThat(NetNamespace.nameState(again.getFileName().toString(), held.cookie()))
                        .isEqualTo(NameState.SAME);
                assertThat(runDir.resolve("99999999-1-1.topology")).doesNotExist();
                mounted.delete();
            }
        } finally {
            for (Path f : made) {
                Files.deleteIfExists(f);
            }
            Ip.run("netns", "del", again.getFileName().toString());
            deleteRunDir(runDir);
        }
    }

    @Test
    void aStagingFileSomeoneHoldsLockedIsLeft() throws Exception {
        // its maker locks it while it takes a name: one in a pid namespace /proc numbers otherwise
        // (its owner looks dead), or a live owner whose detached record is being removed
        String n = TestNames.unique("ic");
        Path runDir = Files.createTempDirectory("netvirt-run");
        Path locked = Path.of("/run/netns", ".netvirt-take-99999998-1-3");
        Process holder = null;
        try (NetNamespace keepsRunNetnsReady = NetNamespace.create(n)) {
            NetNamespace.delete(n);
            Files.createFile(locked);
            holder = new ProcessBuilder("flock", "-x", locked.toString(), "sleep", "600").start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (new ProcessBuilder("flock", "-n", locked.toString(), "true")
                            .start()
                            .waitFor()
                    == 0) {
                assertThat(System.nanoTime() - deadline)
                        .as("flock took the lock")
                        .isNegative();
                Thread.sleep(10);
            }
            Files.writeString(
                    runDir.resolve("99999998-1-1.topology"),
                    CrashRecord.MAGIC + "\nowner 99999998 1\nboot " + Owner.bootId() + "\n");

            CleanupReport r = Cleaner.cleanup(new RunDir(runDir));

            assertThat(r.removed()).isEmpty();
            assertThat(locked).exists();
        } finally {
            if (holder != null) {
                holder.descendants().forEach(ProcessHandle::destroyForcibly);
                holder.destroyForcibly().waitFor();
            }
            Files.deleteIfExists(locked);
            deleteRunDir(runDir);
        }
    }

    @Test
    void aNameTakenByAnOwnerKilledBeforeItsNamespaceIsRemovedOnlyWhenItIsTheRecordedFile() throws Exception {
        // names are taken before the namespaces are made: a kill in between leaves the empty file
        // (mine), or, before the file had the name, a record of a file that another's name is not (theirs)
        String mine = TestNames.unique("ic");
        String theirs = TestNames.unique("ic");
        Path runDir = Files.createTempDirectory("netvirt-run");
        try (NetNamespace keepsRunNetnsReady = NetNamespace.create(mine)) {
            NetNamespace.delete(mine);
            Path file = Files.createFile(Path.of("/run/netns", mine));
            Path other = Files.createFile(Path.of("/run/netns", theirs));
            Files.writeString(
                    runDir.resolve("99999999-1-1.topology"),
                    CrashRecord.MAGIC + "\nowner 99999999 1\nboot " + Owner.bootId() + "\n"
                            + "ns-file " + inodeOf(file) + " " + mine + " " + birthOf(file) + "\n"
                            + "ns-file " + (inodeOf(other) + 100_000) + " " + theirs + " " + birthOf(other) + "\n");
            CleanupReport r = Cleaner.cleanup(new RunDir(runDir));
            assertThat(r.removed())
                    .contains("netns " + mine + " (the empty file a kill left)")
                    .noneMatch(l -> l.contains(theirs));
            assertThat(r.leftAlone()).isEmpty();
            assertThat(file).doesNotExist();
            assertThat(other).exists();
            assertThat(runDir.resolve("99999999-1-1.topology")).doesNotExist();
        } finally {
            Files.deleteIfExists(Path.of("/run/netns", mine));
            Files.deleteIfExists(Path.of("/run/netns", theirs));
            deleteRunDir(runDir);
        }
    }

    @Test
    void anEmptyFileThatGotTheRecordedInodeNumberLaterIsLeftAlone() throws Exception {
        // reproducer: cleanup trusted the inode number alone, and ext4 (/run here) hands a freed one
        // straight back: the owner's file went, someone else's empty file got its number, cleanup removed it
        String name = TestNames.unique("fb");
        long cookie = Long.MAX_VALUE - 7 - ProcessHandle.current().pid(); // no namespace has it
        Path runDir = Files.createTempDirectory("netvirt-run");
        Path file = Path.of("/run/netns", name);
        try (NetNamespace keepsRunNetnsReady = NetNamespace.create(name)) {
            NetNamespace.delete(name);
            long recorded;
            long born;
            int tries = 0;
            do {
                Files.deleteIfExists(file);
                recorded = inodeOf(Files.createFile(file)); // the owner's file, then gone
                born = birthOf(file);
                Files.delete(file);
                Files.createFile(file); // someone else's (an ip netns add killed before its mount)
            } while (inodeOf(file) != recorded && ++tries < 20);
            assertThat(inodeOf(file)).as("the inode number handed back").isEqualTo(recorded);
            Files.writeString(
                    runDir.resolve("99999999-1-1.topology"),
                    CrashRecord.MAGIC + "\nowner 99999999 1\nboot " + Owner.bootId() + "\n" + "ns " + cookie + " "
                            + name + "\nns-file " + recorded + " " + name + "\n");
            // as netvirt records it now: the owner's file's birth time too
            Files.writeString(
                    runDir.resolve("99999999-1-2.topology"),
                    CrashRecord.MAGIC + "\nowner 99999999 1\nboot " + Owner.bootId() + "\n"
                            + "ns " + (cookie - 1) + " " + name + "\nns-file " + recorded + " " + name + " "
                            + born + "\n");
            CleanupReport r = Cleaner.cleanup(new RunDir(runDir));
            assertThat(file).exists();
            assertThat(r.removed()).isEmpty();
            assertThat(r.leftAlone())
                    .hasSize(2)
                    .allMatch(l -> l.startsWith("netns " + name) && l.contains("holds no namespace"));
        } finally {
            Files.deleteIfExists(file);
            deleteRunDir(runDir);
        }
    }

    private static long birthOf(Path p) throws Exception {
        return FileStat.of(p.toString(), false).birth();
    }

    private static long inodeOf(Path p) throws Exception {
        return ((Number) Files.getAttribute(p, "unix:ino")).longValue();
    }
}
