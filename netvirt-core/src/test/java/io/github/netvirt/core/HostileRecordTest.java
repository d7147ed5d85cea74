package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.jna.LastErrorException;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.FileStat;
import io.github.netvirt.netns.internal.LibC;
import io.github.netvirt.netns.internal.Sys;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Crash records are untrusted input: hostile records planted in a private run directory (never the
 * shared /run/netvirt) are refused with a warning, and nothing outside {@code /run/netns} is touched.
 */
@RequiresRoot
class HostileRecordTest {
    private static final String DEAD = "99999999-1-";
    /** A record's first lines, as netvirt writes them, for an owner that is not running. */
    private static final String HEADER =
            CrashRecord.MAGIC + "\nowner 99999999 1\nboot " + Owner.bootId() + "\ntopology x\n";

    private Path runDir;
    private Path victim;

    @BeforeEach
    void setUp() throws Exception {
        // on /run, the file system of /run/netns: the old code unlinked any empty file there
        runDir = Files.createTempDirectory(Path.of("/run"), "netvirt-test-");
        victim = Files.createTempFile(Path.of("/run"), "netvirt-victim-", "");
    }

    @AfterEach
    void tearDown() throws Exception {
        Files.deleteIfExists(victim);
        IdentityCleanupTest.deleteRunDir(runDir);
    }

    private Path plant(String name, String content) throws Exception {
        return Files.writeString(runDir.resolve(name), content);
    }

    private CleanupReport cleanup() {
        return Cleaner.cleanup(new RunDir(runDir));
    }

    @Test
    void aTraversingNameDoesNotUnlinkAFileOutsideRunNetns() throws Exception {
        // reproducer: the old code unlinked /run/netvirt-victim-N ("an empty file left by a delete cut short")
        Path r = plant(
                DEAD + "1.topology",
                CrashRecord.MAGIC + "\nowner 99999999 1\nboot " + Owner.bootId() + "\ntopology x\nns 1 ../"
                        + victim.getFileName() + "\n");
        CleanupReport report = cleanup();
        assertThat(victim).exists();
        assertThat(report.removed()).isEmpty();
        assertThat(report.leftAlone()).singleElement().asString().contains("refused", "not a namespace name");
        assertThat(r).exists();
    }

    /**
     * A namespace's cookie proves the namespace, not its name: a record naming the cookie of a
     * namespace someone else named (read with SO_NETNS_COOKIE, as anyone can) had that name removed.
     */
    @Test
    void aRecordWithoutTheNamesFileDoesNotRemoveTheName() throws Exception {
        String p = TestNames.unique("hr");
        Ip.ok("netns", "add", p);
        try {
            long cookie;
            try (NetNamespace ns = NetNamespace.open(p)) {
                cookie = ns.cookie();
            }
            plant(DEAD + "12.topology", HEADER + "ns " + Long.toUnsignedString(cookie) + " " + p + "\n");
            CleanupReport report = cleanup();
            assertThat(Reference.namespaces(p)).containsExactly(p);
            assertThat(report.removed()).isEmpty();
            assertThat(report.leftAlone())
                    .singleElement()
                    .asString()
                    .startsWith("netns " + p)
                    .contains("names no file its owner gave that name");
        } finally {
            Ip.run("netns", "del", p);
        }
    }

    /** Nor does a record whose ns-file line names another file than the one the name is. */
    @Test
    void aRecordNamingAnotherFileDoesNotRemoveTheName() throws Exception {
        String p = TestNames.unique("hr");
        Ip.ok("netns", "add", p);
        try {
            long cookie;
            try (NetNamespace ns = NetNamespace.open(p)) {
                cookie = ns.cookie();
            }
            FileStat other = FileStat.of(victim.toString(), false);
            plant(
                    DEAD + "13.topology",
                    HEADER + "ns " + Long.toUnsignedString(cookie) + " " + p + "\nns-file "
                            + Long.toUnsignedString(other.inode()) + " " + p + " " + other.birth() + "\n");
            CleanupReport report = cleanup();
            assertThat(Reference.namespaces(p)).containsExactly(p);
            assertThat(report.removed()).isEmpty();
            assertThat(report.leftAlone())
                    .singleElement()
                    .asString()
                    .startsWith("netns " + p)
                    .contains("another file than the one its owner made");
        } finally {
            Ip.run("netns", "del", p);
        }
    }

    /**
     * A record naming a device group netvirt never draws (one of the small numbers admins use) is
     * refused: its cleanup deleted every device of that group in the namespace it named.
     */
    @Test
    void aRecordNamingAGroupNetvirtNeverDrawsIsRefused() throws Exception {
        String p = TestNames.unique("gQ");
        Ip.ok("netns", "add", p);
        try {
            Ip.ok("-n", p, "link", "add", "gQadmin", "type", "bridge");
            Ip.ok("-n", p, "link", "set", "dev", "gQadmin", "group", "7");
            long cookie;
            try (NetNamespace ns = NetNamespace.open(p)) {
                cookie = ns.cookie();
            }
            Path r = plant(
                    DEAD + "16.topology", HEADER + "adopted " + Long.toUnsignedString(cookie) + " 7 netns " + p + "\n");
            CleanupReport report = cleanup();
            assertThat(Ip.ok("-n", p, "-o", "link", "show", "group", "7")).contains("gQadmin");
            assertThat(report.removed()).as("%s", report).isEmpty();
            assertThat(report.leftAlone()).singleElement().asString().contains("refused", "line 5", "group 7");
            assertThat(r).exists();
        } finally {
            Ip.run("netns", "del", p);
        }
    }

    @Test
    void anAbsolutePathIsRefused() throws Exception {
        plant(
                DEAD + "2.topology",
                CrashRecord.MAGIC + "\nowner 99999999 1\nboot " + Owner.bootId() + "\nns 1 " + victim + "\n");
        assertThat(cleanup().leftAlone()).singleElement().asString().contains("refused");
        assertThat(victim).exists();
    }

    @Test
    void aSymlinkedRecordIsRefused() throws Exception {
        Path target = Files.writeString(
                Files.createTempFile("netvirt-target-", ""),
                CrashRecord.MAGIC + "\nowner 99999999 1\nboot " + Owner.bootId() + "\n");
        try {
            Files.createSymbolicLink(runDir.resolve(DEAD + "3.topology"), target);
            assertThat(cleanup().leftAlone()).singleElement().asString().contains("symbolic link");
            assertThat(target).exists();
        } finally {
            Files.deleteIfExists(target);
        }
    }

    @Test
    void aRecordOwnedBySomeoneElseIsRefused() throws Exception {
        Path r = plant(DEAD + "4.topology", CrashRecord.MAGIC + "\nowner 99999999 1\nboot " + Owner.bootId() + "\n");
        Files.setAttribute(r, "unix:uid", 65534);
        assertThat(cleanup().leftAlone()).singleElement().asString().contains("owned by uid 65534");
        assertThat(r).exists();
    }

    @Test
    void aRecordWritableByOthersIsRefused() throws Exception {
        Path r = plant(DEAD + "14.topology", HEADER);
        Files.setAttribute(r, "unix:mode", 0666);
        assertThat(cleanup().leftAlone())
                .singleElement()
                .asString()
                .contains("writable by group or others (mode 0666)");
        assertThat(r).exists();
    }

    @Test
    void aRecordWithoutABootLineIsRefusedAndKept() throws Exception {
        Path r = plant(DEAD + "15.topology", CrashRecord.MAGIC + "\nowner 99999999 1\ntopology x\nns 1 x\n");
        assertThat(cleanup().leftAlone()).singleElement().asString().contains("refused", "no boot line");
        assertThat(r).exists();
    }

    @Test
    void aHardLinkedRecordIsRefused() throws Exception {
        Path r = plant(DEAD + "5.topology", CrashRecord.MAGIC + "\nowner 99999999 1\nboot " + Owner.bootId() + "\n");
        Path other = runDir.resolve("elsewhere");
        Files.createLink(other, r);
        assertThat(cleanup().leftAlone()).singleElement().asString().contains("2 hard links");
    }

    @Test
    void garbageLinesRefuseTheWholeRecordButATornLastLineIsFine() throws Exception {
        String p = TestNames.unique("hr");
        Ip.ok("netns", "add", p); // a live namespace the garbage record names
        try {
            plant(
                    DEAD + "6.topology",
                    CrashRecord.MAGIC + "\nowner 99999999 1\nboot " + Owner.bootId() + "\n\u0000\u00ff garbage\nns 1 "
                            + p + "\n");
            plant(
                    DEAD + "7.topology",
                    CrashRecord.MAGIC + "\nowner 99999999 1\nboot " + Owner.bootId() + "\nns 2 " + p + "\nns 3 tr");
            CleanupReport report = cleanup();
            assertThat(report.leftAlone()).anyMatch(l -> l.contains(DEAD + "6") && l.contains("line 4"));
            // the torn record parses; its ns line names a namespace with another cookie: left alone
            assertThat(report.leftAlone()).anyMatch(l -> l.startsWith("netns " + p) && l.contains("another namespace"));
            assertThat(report.removed()).isEmpty();
            assertThat(Reference.namespaces(p)).containsExactly(p);
            assertThat(runDir.resolve(DEAD + "7.topology")).doesNotExist();
        } finally {
            Ip.run("netns", "del", p);
        }
    }

    @Test
    void aTenMegabyteRecordIsRefusedWithoutBeingRead() throws Exception {
        Path r = runDir.resolve(DEAD + "8.topology");
        Files.writeString(
                r,
                CrashRecord.MAGIC + "\nowner 99999999 1\nboot " + Owner.bootId() + "\n"
                        + "ns 1 x\n".repeat((10 << 20) / 7));
        assertThat(cleanup().leftAlone()).singleElement().asString().contains("more than a record can be");
        assertThat(r).exists();
    }

    @Test
    void aWritableOrForeignDirectoryIsNotTrusted() throws Exception {
        plant(
                DEAD + "9.topology",
                CrashRecord.MAGIC + "\nowner 99999999 1\nboot " + Owner.bootId() + "\nns 1 ../" + victim.getFileName()
                        + "\n");
        Files.setAttribute(runDir, "unix:mode", 0777);
        assertThat(cleanup().leftAlone()).singleElement().asString().contains("group- or world-writable");
        assertThatThrownBy(() -> CrashRecord.begin(new RunDir(runDir), "x"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("netvirt.run.dir");
        Files.setAttribute(runDir, "unix:mode", 0700);
        Files.setAttribute(runDir, "unix:uid", 65534);
        assertThat(cleanup().leftAlone()).singleElement().asString().contains("owned by uid 65534");
        Files.setAttribute(runDir, "unix:uid", 0);
        assertThat(victim).exists();
    }

    @Test
    void theDirectoryIsCreatedPrivateAndTightened() throws Exception {
        Path fresh = runDir.resolve("sub");
        try (CrashRecord r = CrashRecord.begin(new RunDir(fresh), "t")) {
            assertThat(Files.getAttribute(fresh, "unix:mode", LinkOption.NOFOLLOW_LINKS))
                    .isEqualTo(040700);
            assertThat(Files.getAttribute(r.path(), "unix:mode")).isEqualTo(0100600);
        }
        Files.setAttribute(fresh, "unix:mode", 0755);
        CrashRecord.begin(new RunDir(fresh), "t").close();
        assertThat(Files.getAttribute(fresh, "unix:mode")).isEqualTo(040700);
        Files.delete(fresh);
    }

    @Test
    void aPendingInterruptDoesNotBreakARecord() throws Exception {
        // reproducer: FileChannel threw ClosedByInterruptException and left an empty record
        Thread.currentThread().interrupt();
        try (CrashRecord r = CrashRecord.begin(new RunDir(runDir), "t")) {
            r.nsCreated("x", 7);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(Files.readAllLines(r.path()))
                    .containsExactly(
                            CrashRecord.MAGIC,
                            "owner " + ProcessHandle.current().pid() + " "
                                    + Owner.startTime(ProcessHandle.current().pid()),
                            "boot " + Owner.bootId(),
                            "topology t",
                            "ns 7 x");
        } finally {
            Thread.interrupted();
        }
    }

    /**
     * A FIFO planted at a name a record lists is no namespace: left alone at once, where opening it
     * to read its cookie blocked the cleanup forever.
     */
    @Test
    void aFifoAtARecordedNameDoesNotBlockTheCleanup() throws Exception {
        String name = TestNames.unique("nn");
        NetNamespace.create(name).delete(); // /run/netns exists
        Path fifo = NetNamespace.nameFile(name);
        Ip.exec(List.of("mkfifo", fifo.toString())).ok();
        try {
            plant(
                    DEAD + "10.topology",
                    CrashRecord.MAGIC + "\nowner 99999999 1\nboot " + Owner.bootId() + "\nns 1 " + name + "\n");
            CleanupReport report = assertTimeoutPreemptively(Duration.ofSeconds(10), this::cleanup);
            assertThat(report.leftAlone()).singleElement().asString().contains("holds no namespace");
            assertThat(report.removed()).isEmpty();
            assertThat(Files.exists(fifo, LinkOption.NOFOLLOW_LINKS)).isTrue();
        } finally {
            // a reader blocked in open() returns once a writer opens the FIFO
            try {
                Sys.closeQuietly(LibC.open(LibC.path(fifo.toString()), LibC.O_WRONLY | LibC.O_NONBLOCK, 0));
            } catch (LastErrorException noReader) {
                // ENXIO: nobody blocked
            }
            Files.deleteIfExists(fifo);
        }
    }
    /**
     * A FIFO planted at the cleanup's lock file is no lock file: refused at once, where opening it to
     * write blocked every cleanup of the directory (and the reaper) until someone read it.
     */
    @Test
    void aFifoAtTheLockFileDoesNotBlockTheCleanup() throws Exception {
        Path lock = runDir.resolve(".lock");
        Ip.exec(List.of("mkfifo", lock.toString())).ok();
        plant(DEAD + "11.topology", CrashRecord.MAGIC + "\nowner 99999999 1\nboot " + Owner.bootId() + "\n");
        try {
            assertTimeoutPreemptively(
                    Duration.ofSeconds(10),
                    () -> assertThatThrownBy(this::cleanup)
                            .isInstanceOf(UncheckedIOException.class)
                            .hasMessageContaining(".lock"));
            assertThat(Files.exists(lock, LinkOption.NOFOLLOW_LINKS)).isTrue();
        } finally {
            // a writer blocked in open() returns once a reader opens the FIFO
            int reader = LibC.open(LibC.path(lock.toString()), LibC.O_RDONLY | LibC.O_NONBLOCK, 0);
            Thread.sleep(200);
            Sys.closeQuietly(reader);
        }
    }
}
