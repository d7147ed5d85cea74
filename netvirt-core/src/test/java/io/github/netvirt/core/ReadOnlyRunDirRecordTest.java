package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A run directory on a read-only file system (EROFS), there already or still to be made: the record
 * an apply or a change begins cannot be written, and that is the failure of the first step, before
 * which it is begun: an {@link ApplyException} naming it, with nothing made.
 */
@RequiresRoot
class ReadOnlyRunDirRecordTest {
    private final String p = TestNames.unique("fe") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    private Path mount;
    private String was;

    @BeforeEach
    void mountReadOnly() throws Exception {
        mount = Files.createTempDirectory("fe-ro");
        run("mount", "-t", "tmpfs", "-o", "size=12k,mode=0700", "fe-ro", mount.toString());
        Files.createDirectory(mount.resolve("run"));
        Files.setPosixFilePermissions(mount.resolve("run"), PosixFilePermissions.fromString("rwx------"));
        run("mount", "-o", "remount,ro", mount.toString());
        was = System.getProperty(RunDir.PROPERTY);
    }

    @AfterEach
    void unmount() throws Exception {
        if (was == null) {
            System.clearProperty(RunDir.PROPERTY);
        } else {
            System.setProperty(RunDir.PROPERTY, was);
        }
        run("umount", mount.toString());
        Files.delete(mount);
    }

    private static void run(String... cmd) throws Exception {
        Process pr = new ProcessBuilder(cmd).inheritIO().start();
        assertThat(pr.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(pr.exitValue()).as(String.join(" ", cmd)).isZero();
    }

    private void refusedAtTheFirstStep(String dir, String what) {
        System.setProperty(RunDir.PROPERTY, mount.resolve(dir).toString());
        assertThatThrownBy(() -> Topology.create()
                        .prefix(p)
                        .ns("a")
                        .veth("a0", "b", "b0")
                        .ns("b")
                        .apply())
                .isInstanceOf(ApplyException.class)
                .hasMessageContaining(what)
                .hasMessageContaining("EROFS")
                .hasMessageContaining("everything done before was undone")
                .hasCauseInstanceOf(UncheckedIOException.class)
                .satisfies(e -> assertThat(((ApplyException) e).step().index()).isZero());
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    @Test
    void anApplyWhoseRecordCannotBeCreatedMakesNothing() {
        refusedAtTheFirstStep("run", "cannot create the crash record " + mount.resolve("run"));
    }

    @Test
    void anApplyWhoseRecordDirectoryCannotBeCreatedMakesNothing() {
        refusedAtTheFirstStep("new", "cannot create the crash record directory " + mount.resolve("new"));
        assertThat(mount.resolve("new")).doesNotExist();
    }

    @Test
    void aChangeWhoseRecordDirectoryCannotBeCreatedMakesNothing() {
        Reference.run("ip", "netns", "add", p + "h");
        // no named namespace of its own, no device: no record until a change adds a named namespace
        try (Topology t = Topology.create().prefix(p).adopt("h", p + "h").apply()) {
            System.setProperty(RunDir.PROPERTY, mount.resolve("new").toString());
            assertThatThrownBy(() -> t.change().ns("a").apply())
                    .isInstanceOf(ApplyException.class)
                    .hasMessageContaining("cannot create the crash record directory")
                    .hasMessageContaining("EROFS")
                    .hasCauseInstanceOf(UncheckedIOException.class);
            assertThat(Reference.namespaces(p)).containsExactly(p + "h");
        }
    }
}
