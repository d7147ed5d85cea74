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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code mirror} lines are untrusted input too: a record whose dead owner never made the filter its
 * lines name (another program's ingress qdisc and filter, in a namespace the record reaches by name)
 * does not have the cleaner delete it, nor the ingress qdisc it hangs on, unless the filter is the
 * one the lines name: priority, u32 handle, and one action that mirrors to the recorded device and
 * carries the recorded action cookie, in the namespace of the recorded cookie.
 */
@RequiresRoot
class HostileMirrorRecordTest {
    private static final long DEAD = 99999999;
    /** The action cookie the planted records name. */
    private static final String MARK = "00112233445566778899aabbccddeeff";

    private final String p = TestNames.unique("pm");
    private final String ns = p + "-x";
    private final String from = p + "f";
    private final String to = p + "t";
    private Path runDir;
    private int fromIndex;
    private int toIndex;

    @BeforeEach
    void setUp() throws Exception {
        runDir = Files.createTempDirectory(Path.of("/run"), "netvirt-test-");
        Ip.ok("netns", "add", ns);
        for (String d : List.of(from, to)) {
            Ip.ok("-n", ns, "link", "add", d, "type", "veth", "peer", "name", d + "p");
        }
        try (NetNamespace n = NetNamespace.open(ns);
                var h = io.github.netvirt.netlink.NetlinkHandle.open(n)) {
            fromIndex = h.linkIndex(from);
            toIndex = h.linkIndex(to);
        }
        tc("qdisc", "add", "dev", from, "ingress");
    }

    @AfterEach
    void tearDown() throws Exception {
        Ip.run("netns", "del", ns);
        IdentityCleanupTest.deleteRunDir(runDir);
    }

    private String tc(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "tc"));
        cmd.addAll(List.of(args));
        return Ip.exec(cmd).ok().out();
    }

    /** Adds {@code tc filter add dev FROM parent ffff: protocol all prio 1 u32 match u32 0 0 action ACTION...}: 800::800. */
    private void foreignFilter(String... action) {
        List<String> cmd = new ArrayList<>(List.of(
                "filter",
                "add",
                "dev",
                from,
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
                "action"));
        cmd.addAll(List.of(action));
        tc(cmd.toArray(String[]::new));
    }

    /**
     * Plants a dead owner's record of a mirror of FROM (filter 800::800 of priority 1, its action
     * marked {@link #MARK}) to device {@code target}.
     */
    private CleanupReport plantAndClean(long cookie, int target) throws Exception {
        return plantAndClean(cookie, target, " " + MARK);
    }

    /** As above, with {@code mark} after the filter's handle (empty: a line of a netvirt before it marked its mirrors). */
    private CleanupReport plantAndClean(long cookie, int target, String mark) throws Exception {
        String c = Long.toUnsignedString(cookie);
        Files.writeString(
                runDir.resolve(DEAD + "-1-1.topology"),
                CrashRecord.MAGIC + "\nowner " + DEAD + " 1\nboot " + Owner.bootId() + "\ntopology x\n"
                        + "mirror " + c + " " + fromIndex + " 1 1 " + target + " netns " + ns + "\n"
                        + "mirror-filter " + c + " " + fromIndex + " 1 " + 0x80000800L + mark + "\n");
        return Cleaner.cleanup(new RunDir(runDir));
    }

    private long cookie() {
        try (NetNamespace n = NetNamespace.open(ns)) {
            return n.cookie();
        }
    }

    private void untouched(CleanupReport report) {
        assertThat(tc("-j", "qdisc", "show", "dev", from)).as("%s", report).contains("\"kind\":\"ingress\"");
        assertThat(tc("filter", "show", "dev", from, "ingress"))
                .as("%s", report)
                .contains("fh 800::800");
    }

    @Test
    void aFilterMirroringToAnotherDeviceIsNotDeleted() throws Exception {
        foreignFilter("mirred", "egress", "mirror", "dev", from + "p");
        untouched(plantAndClean(cookie(), toIndex));
    }

    @Test
    void aFilterRedirectingToTheRecordedDeviceIsNotDeleted() throws Exception {
        foreignFilter("mirred", "egress", "redirect", "dev", to);
        untouched(plantAndClean(cookie(), toIndex));
    }

    @Test
    void aFilterWithMoreActionsThanTheMirrorIsNotDeleted() throws Exception {
        foreignFilter(
                "mirred", "egress", "mirror", "dev", to, "action", "mirred", "egress", "mirror", "dev", from + "p");
        untouched(plantAndClean(cookie(), toIndex));
    }

    @Test
    void aMirrorInANamespaceOfAnotherCookieIsNotDeleted() throws Exception {
        foreignFilter("mirred", "egress", "mirror", "dev", to, "cookie", MARK);
        untouched(plantAndClean(cookie() + 1, toIndex));
    }

    /** The kernel numbers every new ingress qdisc's u32 nodes from 800::800: only the cookie tells the mirror's. */
    @Test
    void aFilterLikeTheMirrorsWithoutItsCookieIsNotDeleted() throws Exception {
        foreignFilter("mirred", "egress", "mirror", "dev", to);
        untouched(plantAndClean(cookie(), toIndex));
    }

    @Test
    void aFilterLikeTheMirrorsWithAnotherCookieIsNotDeleted() throws Exception {
        foreignFilter("mirred", "egress", "mirror", "dev", to, "cookie", "ffeeddccbbaa99887766554433221100");
        untouched(plantAndClean(cookie(), toIndex));
    }

    /** A record without the action's cookie (a netvirt before it marked its mirrors) proves nothing: reported. */
    @Test
    void aRecordWithoutTheActionsCookieHasNothingDeleted() throws Exception {
        foreignFilter("mirred", "egress", "mirror", "dev", to);
        CleanupReport report = plantAndClean(cookie(), toIndex, "");
        untouched(report);
        assertThat(report.leftAlone()).anyMatch(s -> s.contains("cookie was not recorded"));
    }

    /** The control: the record names exactly this filter, its cookie included, which the cleaner takes for a mirror's. */
    @Test
    void theFilterTheRecordNamesGoesWithItsQdisc() throws Exception {
        foreignFilter("mirred", "egress", "mirror", "dev", to, "cookie", MARK);
        CleanupReport report = plantAndClean(cookie(), toIndex);
        assertThat(tc("-j", "qdisc", "show", "dev", from)).as("%s", report).doesNotContain("\"kind\":\"ingress\"");
        assertThat(report.removed()).hasSize(1);
    }
}
