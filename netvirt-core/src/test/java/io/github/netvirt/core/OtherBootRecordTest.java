package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.FileStat;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A record dates its identities by the kernel's boot id: after a reboot, cookies, pids and start
 * times count from the start again, so a record of an earlier boot (on a /run that outlived it)
 * proves nothing about what its names hold now. A reboot cannot be made in a test: the record of
 * another boot is planted, in a private run directory.
 */
@RequiresRoot
class OtherBootRecordTest {
    private static final String OTHER_BOOT = "00000000-0000-4000-8000-000000000001";
    private Path runDir;

    @BeforeEach
    void setUp() throws Exception {
        runDir = Files.createTempDirectory(Path.of("/run"), "netvirt-test-");
    }

    @AfterEach
    void tearDown() throws Exception {
        IdentityCleanupTest.deleteRunDir(runDir);
    }

    @Test
    void aRecordCarriesTheBootItWasWrittenIn() throws Exception {
        try (CrashRecord r = CrashRecord.begin(new RunDir(runDir), "x")) {
            String boot =
                    Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim();
            assertThat(Files.readAllLines(r.path())).contains("boot " + boot);
            assertThat(RecordParser.parse(r.path(), Files.readAllLines(r.path()))
                            .thisBoot())
                    .isTrue();
        }
    }

    @Test
    void aRecordOfAnEarlierBootRemovesOnlyItsLeftoverFilesAndItself() throws Exception {
        String p = TestNames.unique("ob") + "-";
        String taken = p + "taken";
        String leftover = p + "left";
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p)) {
            // after a reboot the same name can hold someone's new namespace with the recorded cookie
            Ip.ok("netns", "add", taken);
            long cookie;
            try (NetNamespace ns = NetNamespace.open(taken)) {
                cookie = ns.cookie();
            }
            // and the file of a name whose mount went with the boot stays where /run is on disk
            Path file = Files.createFile(NetNamespace.nameFile(leftover));
            FileStat st = FileStat.of(file.toString(), false);
            Path r = Files.writeString(
                    runDir.resolve("1-1-1.topology"),
                    CrashRecord.MAGIC + "\nowner 1 1\nboot " + OTHER_BOOT + "\ntopology " + taken + " " + leftover
                            + "\nroot 1 1234567890\n" // the root namespace's cookie is 1 again after a reboot
                            + "ns " + Long.toUnsignedString(cookie) + " " + taken + "\n"
                            + "ns 99 " + leftover + "\nns-file " + st.inode() + " " + leftover + " " + st.birth()
                            + "\n");
            CleanupReport report = Cleaner.cleanup(new RunDir(runDir));
            assertThat(NetNamespace.exists(taken)).isTrue();
            assertThat(Ip.ok("netns", "list")).contains(taken);
            assertThat(Files.exists(file)).isFalse();
            assertThat(report.removed())
                    .containsExactly(
                            "netns " + leftover + " (the empty file an earlier boot left)",
                            "record of the topology " + taken + " " + leftover
                                    + " (of pid 1, 1-1-1.topology) of an earlier boot (" + OTHER_BOOT
                                    + "): what it named went with that boot");
            assertThat(Files.exists(r)).isFalse();
        }
    }

    @Test
    void aLeftoverFileThatCannotBeRemovedKeepsItsRecordAndStopsNoOtherCleanup() throws Exception {
        String leftover = TestNames.unique("rk") + "-left";
        NetNamespace.create(leftover).delete(); // /run/netns exists
        Path file = Files.createFile(NetNamespace.nameFile(leftover));
        try {
            FileStat st = FileStat.of(file.toString(), false);
            Ip.exec(List.of("chattr", "+i", file.toString())).ok(); // unlink: EPERM
            Path stuck = Files.writeString(
                    runDir.resolve("1-1-1.topology"),
                    CrashRecord.MAGIC + "\nowner 1 1\nboot " + OTHER_BOOT + "\ntopology x\n"
                            + "ns 99 " + leftover + "\nns-file " + st.inode() + " " + leftover + " " + st.birth()
                            + "\n");
            Path other = Files.writeString(
                    runDir.resolve("1-1-2.topology"),
                    CrashRecord.MAGIC + "\nowner 1 1\nboot " + OTHER_BOOT + "\ntopology y\n");
            Cleaner.cleanup(new RunDir(runDir));
            assertThat(Files.exists(other))
                    .as("the other record of an earlier boot")
                    .isFalse();
            assertThat(Files.exists(stuck))
                    .as("the record of the file left in place")
                    .isTrue();
            assertThat(Files.exists(file)).isTrue();
        } finally {
            Ip.exec(List.of("chattr", "-i", file.toString())).ok();
            Files.deleteIfExists(file);
        }
    }
}
