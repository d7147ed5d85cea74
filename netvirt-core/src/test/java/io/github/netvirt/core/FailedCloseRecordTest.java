package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A close() whose teardown fails (a before-close action throws) lets its crash record go: no
 * descriptor of it stays open in the JVM, and no record stays where nothing it names is left; where
 * something is left, this JVM's cleanup() removes it by identity and the record with it, while a
 * cleanup of another JVM leaves it to its running owner. In a child JVM ({@link FailedCloseChild}),
 * a run directory of the test's own.
 */
@RequiresRoot
class FailedCloseRecordTest {
    private final String p = TestNames.unique("fj") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    private Path runDir;

    @BeforeEach
    void setUp() throws Exception {
        runDir = Files.createTempDirectory(Path.of("/run"), "netvirt-test-");
    }

    @AfterEach
    void tearDown() throws Exception {
        IdentityCleanupTest.deleteRunDir(runDir);
    }

    /** The child's output lines up to and with {@code last}. */
    private static List<String> until(BufferedReader out, String last) throws Exception {
        List<String> lines = new ArrayList<>();
        for (String l = out.readLine(); l != null; l = out.readLine()) {
            lines.add(l);
            if (l.equals(last)) {
                return lines;
            }
        }
        throw new AssertionError("the child ended before \"" + last + "\": " + lines);
    }

    private static String line(List<String> lines, String key) {
        return lines.stream()
                .filter(l -> l.startsWith(key + " "))
                .map(l -> l.substring(key.length() + 1))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no \"" + key + "\" line in " + lines));
    }

    private static void fdsBack(List<String> lines) {
        assertThat(line(lines, "leaked"))
                .as("descriptors opened since before the apply")
                .isEqualTo("{}");
        String[] counts = line(lines, "fds").split(" ");
        assertThat(Integer.parseInt(counts[1]))
                .as("descriptors open after, " + lines)
                .isLessThanOrEqualTo(Integer.parseInt(counts[0]));
    }

    private Process child(String adopted, String device) throws Exception {
        return ChildJvm.of(runDir, List.of("-Dnetvirt.reaper=false"), FailedCloseChild.class, p, adopted, device)
                .start();
    }

    @Test
    void aThrowingBeforeCloseActionLeavesNoRecordAndNoDescriptor() throws Exception {
        Process c = child("-", "-");
        try (BufferedReader out =
                        new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8));
                OutputStream in = c.getOutputStream()) {
            List<String> closed = until(out, "closed");
            assertThat(line(closed, "threw")).as("%s", closed).contains("user action failed");
            assertThat(Reference.namespaces(p)).as("the kernel's names").isEmpty();
            assertThat(line(closed, "records"))
                    .as("records after close, %s", closed)
                    .isEqualTo("[]");
            fdsBack(closed);

            in.write("go\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            List<String> cleaned = until(out, "cleaned");
            assertThat(line(cleaned, "removed")).as("%s", cleaned).isEqualTo("[]");
            assertThat(line(cleaned, "leftAlone")).as("%s", cleaned).isEqualTo("[]");
            fdsBack(cleaned);
        } finally {
            assertThat(c.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(IdentityCleanupTest.records(runDir)).isEmpty();
    }

    /**
     * A device of the topology's left in an adopted namespace (a bridge given its device group after the
     * teardown's delete, as a delete that failed leaves it): the record stays, without its descriptor;
     * another JVM's cleanup leaves it to its running owner, the owner's own cleanup() removes the device
     * and the record.
     */
    @Test
    void aFailedTeardownsRecordIsRemovedByTheOwnersCleanupAndLeftByOthers() throws Exception {
        String adopted = p + "ad";
        String device = p + "br";
        Ip.ok("netns", "add", adopted);
        Ip.ok("-n", adopted, "link", "add", device, "type", "bridge");
        Process c = child(adopted, device);
        try (BufferedReader out =
                        new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8));
                OutputStream in = c.getOutputStream()) {
            List<String> closed = until(out, "closed");
            assertThat(line(closed, "threw")).as("%s", closed).contains("user action failed");
            assertThat(Reference.namespaces(p)).as("the kernel's names").containsExactly(adopted);
            assertThat(links(adopted)).as("%s", closed).contains(device).doesNotContain("v1");
            assertThat(IdentityCleanupTest.records(runDir)).as("%s", closed).hasSize(1);
            fdsBack(closed);

            CleanupReport other = Cleaner.cleanup(new RunDir(runDir));
            assertThat(other.removed()).as("another JVM's cleanup").isEmpty();
            assertThat(other.leftAlone())
                    .as("another JVM's cleanup")
                    .singleElement()
                    .asString()
                    .endsWith("its owner is running");
            assertThat(links(adopted)).contains(device);

            in.write("go\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            List<String> cleaned = until(out, "cleaned");
            assertThat(line(cleaned, "removed")).as("%s", cleaned).contains("link " + device);
            assertThat(line(cleaned, "leftAlone")).as("%s", cleaned).isEqualTo("[]");
            assertThat(line(cleaned, "records")).as("%s", cleaned).isEqualTo("[]");
            fdsBack(cleaned);
        } finally {
            assertThat(c.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(links(adopted)).doesNotContain(device);
        assertThat(IdentityCleanupTest.records(runDir)).isEmpty();
    }

    /** The names of the devices of netns {@code ns}, as {@code ip -j link} lists them. */
    private static List<String> links(String ns) {
        return AdoptTest.links("-n", ns).stream().map(l -> l.split(" ")[0]).toList();
    }
}
