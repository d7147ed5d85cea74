package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a cleanup reports, and that one record it cannot act on does not stop it: records planted in
 * a private run directory (never the shared /run/netvirt), for an owner that is not running.
 */
@RequiresRoot
class CleanupReportTest {
    private static final String DEAD = "99999999-1-";
    private static final String HEADER =
            CrashRecord.MAGIC + "\nowner 99999999 1\nboot " + Owner.bootId() + "\ntopology x\n";

    private Path runDir;

    @BeforeEach
    void setUp() throws Exception {
        runDir = Files.createTempDirectory(Path.of("/run"), "netvirt-test-");
    }

    @AfterEach
    void tearDown() throws Exception {
        IdentityCleanupTest.deleteRunDir(runDir);
    }

    private CleanupReport cleanup() {
        return Cleaner.cleanup(new RunDir(runDir));
    }

    /** Two JVMs killed with SIGKILL, each holding a topology of named namespaces (prefixed {@code p}). */
    private void crashTwoTopologies(String p) throws Exception {
        // both run before either is killed: a JVM's background cleanup would remove the other's
        Process a = IdentityCleanupTest.startHeld(runDir, p + "a", "1");
        try {
            Process b = IdentityCleanupTest.startHeld(runDir, p + "b", "1");
            IdentityCleanupTest.kill9(b);
        } finally {
            IdentityCleanupTest.kill9(a);
        }
        assertThat(Reference.namespaces(p)).hasSize(4);
        assertThat(IdentityCleanupTest.records(runDir)).hasSize(3);
    }

    /** An immutable record (unlink: EPERM) is reported, and the crashed topologies beside it are cleaned. */
    @Test
    void anImmutableRecordIsReportedAndTheOthersAreCleaned() throws Exception {
        String p = TestNames.unique("fd") + "-";
        Path stuck = Files.writeString(runDir.resolve(DEAD + "1.topology"), HEADER);
        Assumptions.assumeTrue(
                Ip.exec(List.of("chattr", "+i", stuck.toString())).exitCode() == 0,
                "chattr +i works on the file system of " + runDir);
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p)) {
            crashTwoTopologies(p);
            CleanupReport report = cleanup();
            assertThat(Reference.namespaces(p)).as(report.toString()).isEmpty();
            assertThat(report.removed()).hasSize(4).allMatch(r -> r.startsWith("netns " + p));
            assertThat(IdentityCleanupTest.records(runDir)).containsExactly(stuck);
            assertThat(report.leftAlone())
                    .singleElement()
                    .asString()
                    .contains(stuck.getFileName().toString(), "record cannot be deleted", "EPERM");
        } finally {
            Ip.exec(List.of("chattr", "-i", stuck.toString())).ok();
        }
    }

    /** So is a record that is a mount point (unlink: EBUSY). */
    @Test
    void aRecordThatIsAMountPointIsReportedAndTheOthersAreCleaned() throws Exception {
        String p = TestNames.unique("fd") + "-";
        Path stuck = Files.createFile(runDir.resolve(DEAD + "2.topology"));
        Path source = Files.writeString(Files.createTempFile(Path.of("/run"), "netvirt-test-", ".record"), HEADER);
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p)) {
            Ip.exec(List.of("mount", "--bind", source.toString(), stuck.toString()))
                    .ok();
            try {
                crashTwoTopologies(p);
                CleanupReport report = cleanup();
                assertThat(Reference.namespaces(p)).as(report.toString()).isEmpty();
                assertThat(report.removed()).hasSize(4).allMatch(r -> r.startsWith("netns " + p));
                assertThat(IdentityCleanupTest.records(runDir)).containsExactly(stuck);
                assertThat(report.leftAlone())
                        .singleElement()
                        .asString()
                        .contains(stuck.getFileName().toString(), "record cannot be deleted", "EBUSY");
            } finally {
                Ip.exec(List.of("umount", stuck.toString())).ok();
            }
        } finally {
            Files.deleteIfExists(source);
        }
    }

    /**
     * netvirt writes a record's header in one write and cuts a short write back: a record without a
     * complete line is empty (its owner was killed before the header). Any other file is refused, kept.
     */
    @Test
    void aNonEmptyFileWithoutANewlineIsRefusedAndKept() throws Exception {
        Path text = Files.writeString(runDir.resolve("33333-1-1.topology"), "my notes, no newline");
        byte[] random = new byte[1_000_000];
        new Random(7).nextBytes(random);
        for (int i = 0; i < random.length; i++) {
            if (random[i] == '\n') {
                random[i] = 'x';
            }
        }
        Path bytes = Files.write(runDir.resolve("33335-1-1.topology"), random);
        Path empty = Files.createFile(runDir.resolve("33337-1-1.topology"));
        CleanupReport report = cleanup();
        assertThat(text).exists();
        assertThat(bytes).exists();
        assertThat(empty).doesNotExist();
        assertThat(report.leftAlone())
                .containsExactlyInAnyOrder(
                        "record " + text + " refused: 20 bytes without a complete line (not a record netvirt"
                                + " writes: it is empty or begins with its header line)",
                        "record " + bytes + " refused: 1000000 bytes without a complete line (not a record netvirt"
                                + " writes: it is empty or begins with its header line)");
    }

    /** A .lock that is no regular file fails a cleanup at once, saying what it is. */
    @Test
    void aLockFileThatIsNotARegularFileIsNamedForWhatItIs() throws Exception {
        Files.writeString(runDir.resolve(DEAD + "3.topology"), HEADER);
        Path lock = runDir.resolve(".lock");
        Ip.exec(List.of("mkfifo", lock.toString())).ok();
        assertLockRefused("a FIFO");
        Files.delete(lock);
        Files.createDirectory(lock);
        assertLockRefused("a directory");
        Files.delete(lock);
        Files.createSymbolicLink(lock, runDir.resolve("elsewhere"));
        assertLockRefused("a symbolic link");
        Files.delete(lock);
    }

    private void assertLockRefused(String what) {
        Path lock = runDir.resolve(".lock");
        assertTimeoutPreemptively(
                Duration.ofSeconds(10),
                () -> assertThatThrownBy(this::cleanup)
                        .isInstanceOf(UncheckedIOException.class)
                        .hasMessage("cannot lock " + lock + ": .lock is " + what + ", not a regular file: remove it"));
        assertThat(Files.exists(lock, LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(runDir.resolve(DEAD + "3.topology")).exists();
    }

    /** A run directory that may not be trusted is reported as the directory, not as a record. */
    @Test
    void aRefusedDirectoryIsReportedAsTheDirectory() throws Exception {
        Files.writeString(runDir.resolve(DEAD + "4.topology"), HEADER);
        Files.setAttribute(runDir, "unix:mode", 0777);
        try {
            assertThat(cleanup().leftAlone())
                    .containsExactly("crash record directory " + runDir + " refused: it is group- or world-writable"
                            + " (mode 777)");
        } finally {
            Files.setAttribute(runDir, "unix:mode", 0700);
        }
    }
}
