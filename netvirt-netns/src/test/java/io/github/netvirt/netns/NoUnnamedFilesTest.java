package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.netvirt.netns.internal.ProcPids;
import io.github.netvirt.netns.testing.ChildJvm;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.NoUnnamedFiles;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Names taken where {@code /run/netns}'s file system makes no unnamed file ({@code O_TMPFILE}
 * refused with EOPNOTSUPP, as an overlayfs before Linux 6.6 refuses it): the kernel's refusal made
 * by a seccomp filter in a child JVM.
 */
@RequiresRoot
class NoUnnamedFilesTest {

    @Test
    void namesAreTakenThroughAStagingFileThatIsGoneOnceTheNameIsTaken() throws Exception {
        assumeTrue(NoUnnamedFiles.supported(), "a seccomp filter for this architecture");
        String name = TestNames.unique("nvu");
        String taken = TestNames.unique("nvu");
        Ip.ok("netns", "add", taken);
        Process child = null;
        try {
            List<String> before = NoUnnamedFiles.stagingFiles();
            child = ChildJvm.start(List.of(), NoUnnamedFilesChild.class, name, taken);
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            List<String> lines = ChildJvm.linesUntil(out, "attached ");
            assertThat(lines).as("the child's output").contains("unnamed refused 95", "named before told false");
            assertThat(lines)
                    .as("a taken name")
                    .anyMatch(l -> l.startsWith("taken refused 17 network namespace \"" + taken + "\" already exists"));
            assertThat(lines.get(lines.size() - 1)).startsWith("attached ");
            long cookie = Long.parseUnsignedLong(lines.get(lines.size() - 1).substring("attached ".length()));
            assertThat(Ip.ok("netns", "list")).containsPattern("(?m)^" + name + "( |$)");
            assertThat(NetNamespace.nameState(name, cookie)).isEqualTo(NameState.SAME);
            assertThat(NetNamespace.takingFiles(child.pid(), ProcPids.startTime(child.pid())))
                    .as("the child's staging files")
                    .isEmpty();
            assertThat(NoUnnamedFiles.stagingFiles()).isEqualTo(before);
            try (OutputStream in = child.getOutputStream()) {
                in.write("delete\n".getBytes(StandardCharsets.UTF_8));
            }
            assertThat(out.readLine()).isEqualTo("deleted");
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isZero();
            assertThat(Ip.ok("netns", "list")).doesNotContainPattern("(?m)^" + name + "( |$)");
            assertThat(Path.of("/run/netns", name)).doesNotExist();
        } finally {
            if (child != null) {
                child.destroyForcibly().waitFor();
            }
            Ip.run("netns", "del", name);
            Ip.ok("netns", "del", taken);
        }
    }

    /**
     * A process killed while it took a name leaves its staging file: the next process to take a name
     * this way removes it, and only it (an owner /proc numbers otherwise holds the lock on its own).
     */
    @Test
    void aDeadProcessesStagingFileIsRemovedByTheNextTakeAndNoOneElses() throws Exception {
        assumeTrue(NoUnnamedFiles.supported(), "a seccomp filter for this architecture");
        String name = TestNames.unique("nvu");
        assertThat(underMountsOfItsOwn(NoUnnamedFilesSweepChild.class, name))
                .as("the child's output")
                .containsSubsequence(
                        "made " + name + " true",
                        "dead false",
                        "dead, locked true",
                        "dead, not empty true",
                        "dead, not a number true",
                        "no pid true",
                        "alive true",
                        "staging files of this process []");
        assertThat(Path.of("/run/netns", name)).doesNotExist();
    }

    @Test
    void aRunNetnsMadeOrRemovedSinceIsPreparedAgain() throws Exception {
        assumeTrue(NoUnnamedFiles.supported(), "a seccomp filter for this architecture");
        String name = TestNames.unique("nvu");
        assertThat(underMountsOfItsOwn(NoUnnamedFilesFreshRunChild.class, name))
                .as("the child's output")
                .containsSubsequence(
                        "made " + name + " true",
                        "removed /run/netns",
                        "made " + name + "-2 true",
                        "staging files []",
                        "left []");
        assertThat(Path.of("/run/netns", name)).doesNotExist();
        assertThat(Path.of("/run/netns", name + "-2")).doesNotExist();
    }

    /**
     * What {@code child} prints run with {@code name} in a mount namespace of its own, where it mounts a
     * tmpfs of its own on {@code /run}: the machine's {@code /run} is not touched.
     */
    private static List<String> underMountsOfItsOwn(Class<?> child, String name) throws Exception {
        return ChildJvm.runUnder(List.of("unshare", "-m", "--propagation", "private"), child, 60, name)
                .lines()
                .toList();
    }
}
