package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a cleanup cannot prove about a fault's record lines it neither deletes nor forgets: a fault in
 * an adopted namespace it can no longer reach (the adopted process gone, the namespace living on) is
 * reported and its record kept; a root qdisc whose recorded handle the kernel never chooses, and a
 * fault table still there after its owner died (every fault table goes with the socket that owns
 * it), are reported and left; a mirror whose action cookie was recorded before the adds is proven by
 * it even when the filter's handle was never recorded, and a bare ingress qdisc is reported, its
 * record kept.
 */
@RequiresRoot
class UnprovenFaultRecordTest {
    private static final long DEAD = 99999999;
    private static final String MARK = "0123456789abcdef0123456789abcdef";

    private final String p = TestNames.unique("gh");
    private final String ns = p + "-x";
    private final String d0 = p + "a";
    private final String d1 = p + "b";
    private Path runDir;
    private Path record;
    private int i0;
    private int i1;
    private long cookie;

    @BeforeEach
    void setUp() throws Exception {
        runDir = Files.createTempDirectory(Path.of("/run"), "netvirt-test-");
        record = runDir.resolve(DEAD + "-1-1.topology");
        Ip.ok("netns", "add", ns);
        Ip.ok("-n", ns, "link", "add", d0, "type", "veth", "peer", "name", d1);
        Ip.ok("-n", ns, "link", "set", d0, "up");
        Ip.ok("-n", ns, "link", "set", d1, "up");
        try (NetNamespace n = NetNamespace.open(ns);
                var h = io.github.netvirt.netlink.NetlinkHandle.open(n)) {
            i0 = h.linkIndex(d0);
            i1 = h.linkIndex(d1);
            cookie = n.cookie();
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        Ip.run("netns", "del", ns);
        IdentityCleanupTest.deleteRunDir(runDir);
    }

    private String in(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of(args));
        return Ip.exec(cmd).ok().out();
    }

    private CleanupReport plantAndClean(String lines) throws Exception {
        Files.writeString(
                record,
                CrashRecord.MAGIC + "\nowner " + DEAD + " 1\nboot " + Owner.bootId() + "\ntopology x\n" + lines);
        return Cleaner.cleanup(new RunDir(runDir));
    }

    /** The handle of {@code d0}'s root tbf as a record holds it (MAJ:0 as a 32-bit number). */
    private long tbfHandle() {
        Matcher m = Pattern.compile("\"kind\":\"tbf\",\"handle\":\"([0-9a-f]+):\"")
                .matcher(in("tc", "-j", "qdisc", "show", "dev", d0));
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1), 16) << 16;
    }

    private void tbf(String... handle) {
        List<String> cmd = new ArrayList<>(List.of("tc", "qdisc", "add", "dev", d0, "root"));
        cmd.addAll(List.of(handle));
        cmd.addAll(List.of("tbf", "rate", "1mbit", "burst", "10k", "latency", "50ms"));
        in(cmd.toArray(String[]::new));
    }

    private void mirrorFilter() {
        in(
                "tc",
                "filter",
                "add",
                "dev",
                d0,
                "parent",
                "ffff:",
                "protocol",
                "all",
                "prio",
                "1",
                "u32",
                "match",
                "u32",
                "0",
                "0",
                "action",
                "mirred",
                "egress",
                "mirror",
                "dev",
                d1,
                "cookie",
                MARK);
    }

    private boolean hasIngress() {
        return in("tc", "-j", "qdisc", "show", "dev", d0).contains("\"kind\":\"ingress\"");
    }

    @Test
    void faultsInAnAdoptedNamespaceItCannotReachAnyMoreAreReportedAndTheRecordKept() throws Exception {
        tbf();
        in("tc", "qdisc", "add", "dev", d0, "ingress");
        mirrorFilter();
        Ip.ok("-n", ns, "link", "set", d1, "down");
        // the adopted process: the namespace outlives it, held by its name
        Process sleep = new ProcessBuilder("ip", "netns", "exec", ns, "sleep", "1000").start();
        long pid = sleep.pid();
        String c = Long.toUnsignedString(cookie);
        String lines = "qdisc " + c + " " + i0 + " 1 tbf pid " + pid + "\n"
                + "qdisc-handle " + c + " " + i0 + " 1 " + tbfHandle() + "\n"
                + "mirror " + c + " " + i0 + " 2 1 " + i1 + " " + MARK + " pid " + pid + "\n"
                + "mirror-filter " + c + " " + i0 + " 2 " + 0x80000800L + " " + MARK + "\n"
                + "link-down " + c + " " + i1 + " " + d1 + " pid " + pid + "\n";
        sleep.destroyForcibly().waitFor();

        CleanupReport report = plantAndClean(lines);

        assertThat(in("tc", "-j", "qdisc", "show", "dev", d0)).contains("\"kind\":\"tbf\"");
        assertThat(report.leftAlone())
                .as("%s", report)
                .anyMatch(s -> s.contains("root qdisc tbf") && s.contains("pid " + pid))
                .anyMatch(s -> s.contains("mirror of device " + i0))
                .anyMatch(s -> s.contains("device " + d1 + " (ifindex " + i1 + ") cut"));
        assertThat(record).as("%s", report).exists();
    }

    /** A fault's root qdisc always has the handle the kernel chose ({@code 8000:} and up): {@code 1:} is someone's own. */
    @Test
    void aRootQdiscOfAHandleTheKernelNeverChoosesIsNotDeleted() throws Exception {
        tbf("handle", "1:");
        String c = Long.toUnsignedString(cookie);
        CleanupReport report = plantAndClean("qdisc " + c + " " + i0 + " 1 tbf netns " + ns + "\n" + "qdisc-handle " + c
                + " " + i0 + " 1 " + 0x10000 + "\n");
        assertThat(in("tc", "-j", "qdisc", "show", "dev", d0)).as("%s", report).contains("\"kind\":\"tbf\"");
        assertThat(report.leftAlone()).as("%s", report).anyMatch(s -> s.contains("root qdisc tbf 1:"));
    }

    /** Every fault table is owned by its socket and goes with it: one there after its owner died is not a fault's. */
    @Test
    void aTableNamedAsAFaultsStillThereAfterItsOwnerDiedIsNotDeleted() throws Exception {
        String name = "netvirt_fault_1_" + DEAD;
        in("nft", "add", "table", "inet", name);
        Matcher m = Pattern.compile("\"family\": \"inet\", \"name\": \"" + name + "\", \"handle\": ([0-9]+)")
                .matcher(in("nft", "-j", "list", "tables"));
        assertThat(m.find()).isTrue();
        String c = Long.toUnsignedString(cookie);
        CleanupReport report = plantAndClean("nft-table " + c + " " + name + " netns " + ns + "\n" + "nft-table-handle "
                + c + " " + name + " " + m.group(1) + "\n");
        assertThat(in("nft", "list", "tables")).as("%s", report).contains("table inet " + name);
        assertThat(report.leftAlone()).as("%s", report).anyMatch(s -> s.contains("nft table inet " + name));
    }

    /** Killed after the adds, before the filter's line: the action cookie, recorded before the adds, proves it. */
    @Test
    void aMirrorWhoseFiltersHandleWasNeverRecordedIsProvenByItsActionCookie() throws Exception {
        in("tc", "qdisc", "add", "dev", d0, "ingress");
        mirrorFilter();
        String c = Long.toUnsignedString(cookie);
        CleanupReport report =
                plantAndClean("mirror " + c + " " + i0 + " 1 1 " + i1 + " " + MARK + " netns " + ns + "\n");
        assertThat(hasIngress()).as("%s", report).isFalse();
        assertThat(report.removed()).as("%s", report).hasSize(1);
        assertThat(record).as("%s", report).doesNotExist();
    }

    /** Killed between the qdisc's add and the filter's: an ingress qdisc proves nothing, and is reported until it is gone. */
    @Test
    void aBareIngressQdiscIsReportedAndItsRecordKept() throws Exception {
        in("tc", "qdisc", "add", "dev", d0, "ingress");
        String c = Long.toUnsignedString(cookie);
        String lines = "mirror " + c + " " + i0 + " 1 1 " + i1 + " " + MARK + " netns " + ns + "\n";
        CleanupReport report = plantAndClean(lines);
        assertThat(hasIngress()).as("%s", report).isTrue();
        assertThat(report.leftAlone()).as("%s", report).anyMatch(s -> s.contains("mirror of device " + i0));
        assertThat(record).as("%s", report).exists();

        in("tc", "qdisc", "del", "dev", d0, "ingress"); // its owner's user removes it by hand
        report = Cleaner.cleanup(new RunDir(runDir));
        assertThat(record).as("%s", report).doesNotExist();
    }
}
