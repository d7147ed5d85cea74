package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code nft-table} lines are untrusted input too: a record whose dead owner never made the table its
 * handle line names (another program's table, in a namespace the record reaches by name and cookie)
 * does not have the cleaner delete it. netvirt-faults names its tables {@code netvirt_fault_N_PID}
 * (PID: the record's owner), and the table of the recorded handle must have the recorded name.
 */
@RequiresRoot
class HostileFaultTableRecordTest {
    private static final long DEAD = 99999999;
    private final String ns = TestNames.unique("ra") + "-x";
    private Path runDir;

    @BeforeEach
    void setUp() throws Exception {
        runDir = Files.createTempDirectory(Path.of("/run"), "netvirt-test-");
        Ip.ok("netns", "add", ns);
        nft("add", "table", "inet", "ra_keep");
    }

    @AfterEach
    void tearDown() throws Exception {
        Ip.run("netns", "del", ns);
        IdentityCleanupTest.deleteRunDir(runDir);
    }

    private String nft(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("ip", "netns", "exec", ns, "nft"));
        cmd.addAll(List.of(args));
        return Ip.exec(cmd).ok().out();
    }

    private long handleOfKeep() {
        Matcher m = Pattern.compile("\"family\": \"inet\", \"name\": \"ra_keep\", \"handle\": ([0-9]+)")
                .matcher(nft("-j", "list", "tables"));
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }

    private CleanupReport plantAndClean(String tableName) throws Exception {
        long cookie;
        try (NetNamespace n = NetNamespace.open(ns)) {
            cookie = n.cookie();
        }
        String c = Long.toUnsignedString(cookie);
        Files.writeString(
                runDir.resolve(DEAD + "-1-1.topology"),
                CrashRecord.MAGIC + "\nowner " + DEAD + " 1\nboot " + Owner.bootId() + "\ntopology x\n"
                        + "nft-table " + c + " " + tableName + " netns " + ns + "\n"
                        + "nft-table-handle " + c + " " + tableName + " " + handleOfKeep() + "\n");
        return Cleaner.cleanup(new RunDir(runDir));
    }

    @Test
    void aTableNetvirtDoesNotNameIsNotDeleted() throws Exception {
        CleanupReport report = plantAndClean("ra_keep");
        assertThat(nft("list", "tables")).as("%s", report).contains("table inet ra_keep");
    }

    @Test
    void aHandleOfATableOfAnotherNameIsNotDeleted() throws Exception {
        CleanupReport report = plantAndClean("netvirt_fault_1_" + DEAD);
        assertThat(nft("list", "tables")).as("%s", report).contains("table inet ra_keep");
    }
}
