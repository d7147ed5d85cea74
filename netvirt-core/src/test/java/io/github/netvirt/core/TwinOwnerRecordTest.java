package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NameFile;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.ReservedName;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two JVMs, each pid 1 of its own pid namespace and started in one clock tick, write the same owner
 * line: a record naming this process's pid and start time that this process does not hold is its
 * twin's, and a free lock says that twin is dead, however alive this process is.
 */
@RequiresRoot
class TwinOwnerRecordTest {
    private final String p = TestNames.unique("gm") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    private Path runDir;
    private String was;

    @BeforeEach
    void setUp() throws Exception {
        runDir = Files.createTempDirectory(Path.of("/run"), "netvirt-test-");
        was = System.getProperty(RunDir.PROPERTY);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (was == null) {
            System.clearProperty(RunDir.PROPERTY);
        } else {
            System.setProperty(RunDir.PROPERTY, was);
        }
        IdentityCleanupTest.deleteRunDir(runDir);
    }

    @Test
    void aRecordOfThisPidAndStartTimeThatThisProcessDoesNotHoldIsADeadTwinsAndIsCleaned() throws Exception {
        System.setProperty(RunDir.PROPERTY, runDir.toString());
        Topology live = Topology.create().prefix(p).ns("live").apply();
        try {
            Path liveRecord = IdentityCleanupTest.records(runDir).get(0);
            // the twin's namespace, named as netvirt names one, and its record, killed with its lock
            String twin = p + "twin";
            long cookie;
            NameFile[] file = new NameFile[1];
            try (NetNamespace ns = NetNamespace.ephemeral();
                    ReservedName reserved = NetNamespace.reserveName(twin, f -> file[0] = f);
                    NetNamespace named = ns.attach(reserved)) {
                cookie = ns.cookie();
            }
            Path twinRecord = Files.writeString(
                    runDir.resolve(Owner.ownPid() + "-" + Owner.ownStartTime() + "-999999.topology"),
                    CrashRecord.MAGIC + "\nowner " + Owner.ownPid() + " " + Owner.ownStartTime() + "\nboot "
                            + Owner.bootId() + "\ntopology twin\nns " + Long.toUnsignedString(cookie) + " " + twin
                            + "\nns-file " + file[0].inode() + " " + twin + " " + file[0].birth() + "\n");

            CleanupReport report = Cleaner.cleanup(new RunDir(runDir));

            assertThat(report.leftAlone())
                    .as("left alone")
                    .singleElement()
                    .asString()
                    .startsWith("topology " + p + "live (of this process")
                    .endsWith("its owner is running");
            assertThat(report.removed()).anyMatch(r -> r.startsWith("netns " + twin));
            assertThat(NetNamespace.exists(twin)).isFalse();
            assertThat(twinRecord).doesNotExist();
            // this process's own record, held, and its namespace stay
            assertThat(liveRecord).exists();
            assertThat(Reference.namespaces(p)).containsExactly(p + "live");
        } finally {
            live.close();
        }
        assertThat(Reference.namespaces(p)).isEmpty();
        assertThat(IdentityCleanupTest.records(runDir)).isEmpty();
    }
}
