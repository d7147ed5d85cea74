package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.io.UncheckedIOException;
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
 * A run directory whose file system is full (ENOSPC): a record line written short is taken back, so
 * the lines written once there is room again stay whole and the record still parses; an apply whose
 * record cannot be written makes nothing, or undoes what it made.
 */
@RequiresRoot
class FullRunDirRecordTest {
    private static final int PAGE = 4096;
    private final String p = TestNames.unique("ws") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    private Path runDir;
    private String was;

    @BeforeEach
    void mountTinyRunDir() throws Exception {
        runDir = Files.createTempDirectory("ws-run");
        // three pages: the test fills all that a record does not use
        run("mount", "-t", "tmpfs", "-o", "size=12k,mode=0700", "ws-rt", runDir.toString());
        was = System.getProperty(RunDir.PROPERTY);
    }

    @AfterEach
    void unmount() throws Exception {
        if (was == null) {
            System.clearProperty(RunDir.PROPERTY);
        } else {
            System.setProperty(RunDir.PROPERTY, was);
        }
        run("umount", runDir.toString());
        Files.delete(runDir);
    }

    private static void run(String... cmd) throws Exception {
        Process pr = new ProcessBuilder(cmd).inheritIO().start();
        assertThat(pr.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(pr.exitValue()).as(String.join(" ", cmd)).isZero();
    }

    /** Fills every page of the file system that no file uses yet. */
    private Path fill(long bytes) throws Exception {
        Path filler = runDir.resolve("filler");
        Files.write(filler, new byte[(int) bytes]);
        return filler;
    }

    private static RecordEntry parsed(Path record) {
        List<String> refused = new ArrayList<>();
        RunDir.RecordFile f = new RunDir(record.getParent()).read(record, refused);
        assertThat(refused).isEmpty();
        return RecordParser.parse(record, f.lines());
    }

    private static String name(String p, char c, int length) {
        return p + String.valueOf(c).repeat(length - p.length());
    }

    @Test
    void aLineWrittenShortIsTakenBackSoTheNextLineStaysWhole() throws Exception {
        CrashRecord r = CrashRecord.begin(new RunDir(runDir), "full");
        try {
            fill(2 * PAGE); // the record keeps its one page, nothing else is free
            // pad the record so that 10 bytes of its page are left
            List<String> names = new ArrayList<>();
            long cookie = 4097;
            for (char c = 'a'; ; c++) {
                long free = PAGE - Files.size(r.path());
                String line = "ns " + cookie + " ";
                int length = (int) Math.min(200, free - 10 - line.length() - 1);
                if (length < 10) {
                    break;
                }
                names.add(name(p, c, length));
                r.nsCreated(names.get(names.size() - 1), cookie++);
            }
            assertThat(PAGE - Files.size(r.path())).isBetween(10L, 20L);
            long before = Files.size(r.path());
            assertThatThrownBy(() -> r.nsCreated(name(p, 'x', 40), 9999))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining(r.path().toString());
            assertThat(Files.size(r.path())).as("the bytes written short").isEqualTo(before);
            Files.delete(runDir.resolve("filler")); // room again, as on a shared /run
            r.nsCreated(name(p, 'y', 40), 10000);
            RecordEntry e = parsed(r.path());
            List<String> listed = new ArrayList<>();
            e.namespaces().forEach(n -> listed.add(n.name()));
            List<String> expected = new ArrayList<>(names);
            expected.add(name(p, 'y', 40));
            assertThat(listed).containsExactlyElementsOf(expected);
        } finally {
            r.close();
        }
    }

    @Test
    void anApplyThatCannotBeginItsRecordMakesNothing() throws Exception {
        System.setProperty(RunDir.PROPERTY, runDir.toString());
        fill(3 * PAGE);
        assertThatThrownBy(() -> Topology.create()
                        .prefix(p)
                        .ns("a")
                        .veth("a0", "b", "b0")
                        .ns("b")
                        .apply())
                // the failure of the first step, before which the record is begun, as apply() documents it
                .isInstanceOf(ApplyException.class)
                .hasMessageContaining("crash record")
                .hasMessageContaining("ENOSPC")
                .hasMessageContaining("everything done before was undone")
                .hasCauseInstanceOf(UncheckedIOException.class)
                .satisfies(e -> assertThat(((ApplyException) e).step().index()).isZero());
        assertThat(Reference.namespaces(p)).isEmpty();
        assertThat(IdentityCleanupTest.records(runDir)).isEmpty();
    }

    @Test
    void aChangeThatCannotBeginTheRecordMakesNothing() throws Exception {
        System.setProperty(RunDir.PROPERTY, runDir.toString());
        Reference.run("ip", "netns", "add", p + "h");
        // no named namespace of its own, no device: no record until a change adds a named namespace
        try (Topology t = Topology.create().prefix(p).adopt("h", p + "h").apply()) {
            assertThat(IdentityCleanupTest.records(runDir)).isEmpty();
            fill(3 * PAGE);
            assertThatThrownBy(() -> t.change().ns("a").apply())
                    .isInstanceOf(ApplyException.class)
                    .hasMessageContaining("crash record")
                    .hasMessageContaining("ENOSPC")
                    .hasCauseInstanceOf(UncheckedIOException.class);
            assertThat(Reference.namespaces(p)).containsExactly(p + "h");
        }
        assertThat(IdentityCleanupTest.records(runDir)).isEmpty();
    }

    @Test
    void anApplyWhoseRecordFillsUpMidwayIsRolledBack() throws Exception {
        System.setProperty(RunDir.PROPERTY, runDir.toString());
        fill(2 * PAGE); // one page for the record: the names below need more
        TopologyBuilder b = Topology.create().prefix(p);
        for (char c = 'a'; c < 'a' + 12; c++) {
            b.ns(name("", c, 200));
        }
        assertThatThrownBy(b::apply).isInstanceOf(ApplyException.class).hasMessageContaining("crash record");
        assertThat(Reference.namespaces(p)).isEmpty();
        assertThat(IdentityCleanupTest.records(runDir)).isEmpty();
    }

    @Test
    void aChangeCutShortByAFullDirectoryLeavesARecordThatStillParses() throws Exception {
        System.setProperty(RunDir.PROPERTY, runDir.toString());
        Topology t = Topology.create().prefix(p).ns("a").apply();
        try {
            Path record = IdentityCleanupTest.records(runDir).get(0);
            Path filler = fill(2 * PAGE);
            TopologyBuilder c = t.change();
            for (char n = 'c'; n < 'c' + 12; n++) {
                c.ns(name("", n, 200));
            }
            // the change's failure, naming its step; undoing it cannot note in the record what it removed
            assertThatThrownBy(c::apply)
                    .isInstanceOf(ApplyException.class)
                    .hasMessageContaining("ENOSPC")
                    .satisfies(e -> assertThat(e.getSuppressed()).isNotEmpty());
            assertThat(Reference.namespaces(p)).containsExactly(p + "a");
            Files.delete(filler); // room again
            t.change().ns("d").apply();
            RecordEntry e = parsed(record);
            assertThat(e.namespaces()).extracting(RecordEntry.Ns::name).contains(p + "a", p + "d");
        } finally {
            t.close();
        }
        assertThat(Reference.namespaces(p)).isEmpty();
        assertThat(IdentityCleanupTest.records(runDir)).isEmpty();
    }
}
