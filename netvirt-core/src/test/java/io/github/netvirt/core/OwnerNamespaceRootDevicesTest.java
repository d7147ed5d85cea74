package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The "root namespace" of a topology is the namespace its JVM started in: for an owner started
 * inside a namespace ({@code ip netns exec}), not the cleaner's. Its devices there are removed
 * where the record proves that namespace (by its cookie, reached as the record says), and where
 * the cleaner cannot reach it the record stays, reported, rather than vanish with the devices left.
 */
@RequiresRoot
class OwnerNamespaceRootDevicesTest {
    private Path runDir;
    private String ns;
    private final List<String> rootLinks = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        runDir = Files.createTempDirectory("netvirt-run");
        ns = TestNames.unique("fb");
        Ip.ok("netns", "add", ns);
    }

    @AfterEach
    void tearDown() throws Exception {
        DeleteNetnsAfter.of(ns).close();
        for (String l : rootLinks) {
            Ip.run("link", "del", l);
        }
        IdentityCleanupTest.deleteRunDir(runDir);
    }

    private long cookie() {
        try (NetNamespace n = NetNamespace.open(ns)) {
            return n.cookie();
        }
    }

    private List<String> linksIn(String namespace, String fragment) {
        return Ip.ok("-n", namespace, "-br", "link")
                .lines()
                .map(l -> l.split("\\s+")[0].split("@")[0])
                .filter(n -> n.contains(fragment))
                .toList();
    }

    @Test
    void devicesInANamespaceTheCleanerCannotReachKeepTheirRecord() throws Exception {
        // reproducer: cleanup reported them left alone and removed the record: nothing would ever remove them
        String dev = ns.replace("-", "") + "d";
        Ip.ok("-n", ns, "link", "add", dev, "type", "bridge");
        Ip.ok("-n", ns, "link", "set", "dev", dev, "group", "1234567890");
        Path r = Files.writeString(
                runDir.resolve("99999999-1-1.topology"),
                CrashRecord.MAGIC + "\nowner 99999999 1\nboot " + Owner.bootId() + "\ntopology (root)\nroot "
                        + Long.toUnsignedString(cookie()) + " 1234567890\n");
        CleanupReport report = Cleaner.cleanup(new RunDir(runDir));
        assertThat(linksIn(ns, dev)).containsExactly(dev);
        assertThat(report.removed()).isEmpty();
        assertThat(report.leftAlone())
                .singleElement()
                .asString()
                .contains("group 1234567890")
                .doesNotContain("refused");
        assertThat(r).exists();
        // the same again: still there, still reported
        assertThat(Cleaner.cleanup(new RunDir(runDir)).leftAlone()).hasSize(1);
        assertThat(r).exists();
    }

    @Test
    void theDevicesOfAnOwnerThatRanInANamedNamespaceAreRemovedThereAndNowhereElse() throws Exception {
        String host = ns.replace("-", "");
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(ChildJvm.of(runDir, RootHaltChild.class, host).command());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(137);
        assertThat(linksIn(ns, host)).containsExactlyInAnyOrder(host + "b", host + "x", host + "m");
        List<Path> records = IdentityCleanupTest.records(runDir);
        assertThat(records).hasSize(1);
        String rootLine = Files.readAllLines(records.get(0)).stream()
                .filter(l -> l.startsWith("root "))
                .findFirst()
                .orElseThrow();
        assertThat(rootLine).startsWith("root " + Long.toUnsignedString(cookie()) + " ");
        // a device of the cleaner's own namespace with the same group: not the owner's
        String group = rootLine.split(" ")[2];
        String foreign = host + "f";
        rootLinks.add(foreign);
        Ip.ok("link", "add", foreign, "type", "bridge");
        Ip.ok("link", "set", "dev", foreign, "group", group);

        CleanupReport report = Cleaner.cleanup(new RunDir(runDir));
        assertThat(linksIn(ns, host)).isEmpty();
        assertThat(Reference.rootLinks(foreign)).containsExactly(foreign);
        assertThat(report.removed())
                .anyMatch(l -> l.startsWith("link " + host + "b ("))
                .noneMatch(l -> l.contains(foreign));
        assertThat(report.leftAlone()).isEmpty();
        assertThat(IdentityCleanupTest.records(runDir)).isEmpty();
    }
}
