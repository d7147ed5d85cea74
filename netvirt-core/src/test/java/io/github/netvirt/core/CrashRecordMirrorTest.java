package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mirror lines of a crash record (a {@code PortMirror}'s ingress qdisc and filter): written and
 * read back, and refused when they do not hold together or could name a filter no mirror makes.
 */
class CrashRecordMirrorTest {
    private static final Path P = Path.of("/nonexistent/4242-777-1.topology");

    /** An action cookie as netvirt-faults marks a mirror with. */
    private static final String MARK = "00112233445566778899aabbccddeeff";

    private static RecordEntry parse(String... lines) {
        List<String> all = new ArrayList<>(List.of(CrashRecord.MAGIC, "owner 4242 777", "boot " + Owner.bootId()));
        all.addAll(List.of(lines));
        return RecordParser.parse(P, all);
    }

    @Test
    void writtenMirrorsReadBackUntilHealed(@TempDir Path dir) throws Exception {
        CrashRecord r = CrashRecord.begin(new RunDir(dir), "t");
        try {
            long a = r.mirror(7, 3, 1, 4, MARK, "netns a\\sb");
            r.mirrorFilter(7, 3, a, 0x80000800L, MARK);
            long q = r.rootQdisc(7, 5, "tbf", "-"); // one counter for both
            r.mirror(8, 3, 1, 4, MARK, "pid 99"); // another namespace's device 3
            long c = r.mirror(9, 4, 2, 5, MARK, "-");
            r.mirrorFilter(9, 4, c, 0x80000800L, MARK);
            r.mirrorDeleted(9, 4, c);
            RecordEntry e = RecordParser.parse(r.path(), Files.readAllLines(r.path()));
            assertThat(e.mirrors())
                    .containsExactly(
                            new RecordEntry.Mirror(7, 3, 1, 4, "a b", 0, 0x80000800L, MARK),
                            new RecordEntry.Mirror(8, 3, 1, 4, null, 99, 0, MARK));
            assertThat(e.qdiscs()).containsExactly(new RecordEntry.RootQdisc(7, 5, "tbf", null, 0, 0));
            assertThat(q).isEqualTo(a + 1);
        } finally {
            r.close();
        }
    }

    /** The action cookie is in the line written before the adds; a line without it is a netvirt's before that. */
    @Test
    void theActionCookieOfTheMirrorLineIsTheMirrorsUntilItsFiltersLine() {
        assertThat(parse("mirror 7 3 1 1 4 " + MARK + " pid 99").mirrors())
                .containsExactly(new RecordEntry.Mirror(7, 3, 1, 4, null, 99, 0, MARK));
        assertThat(parse("mirror 7 3 1 1 4 " + MARK + " -", "mirror-filter 7 3 1 2147485696")
                        .mirrors())
                .containsExactly(new RecordEntry.Mirror(7, 3, 1, 4, null, 0, 0x80000800L, MARK));
        assertThat(parse("mirror 7 3 1 1 4 netns a").mirrors())
                .containsExactly(new RecordEntry.Mirror(7, 3, 1, 4, "a", 0, 0, ""));
    }

    @Test
    void notesOfOneDeviceThatOverlapArePairedByNumber() {
        // a second mirror's add noted while the first's ingress qdisc is on the device: refused (EEXIST)
        assertThat(parse(
                                "mirror 7 3 1 1 4 -",
                                "mirror-filter 7 3 1 2147485696 " + MARK,
                                "mirror 7 3 2 1 5 -",
                                "mirror-del 7 3 2")
                        .mirrors())
                .containsExactly(new RecordEntry.Mirror(7, 3, 1, 4, null, 0, 0x80000800L, MARK));
    }

    /** A netvirt before it marked its mirrors wrote no action cookie: read, and proven by nothing. */
    @Test
    void aFilterLineWithoutTheActionsCookieReadsAsUnmarked() {
        assertThat(parse("mirror 7 3 1 1 4 -", "mirror-filter 7 3 1 2147485696").mirrors())
                .containsExactly(new RecordEntry.Mirror(7, 3, 1, 4, null, 0, 0x80000800L, ""));
    }

    @Test
    void linesThatDoNotHoldTogetherOrNameNoMirrorsFilterAreRefused() {
        String m = "mirror 7 3 1 1 4 netns a";
        for (List<String> bad : List.of(
                List.of("mirror-filter 7 3 1 2147485696"), // no mirror before
                List.of("mirror-del 7 3 1"),
                List.of(m, "mirror-filter 8 3 1 2147485696"), // another namespace's
                List.of(m, "mirror-filter 7 4 1 2147485696"), // another device's
                List.of(m, "mirror-filter 7 3 2 2147485696"), // another note's
                List.of(m, "mirror-del 7 3 2"),
                List.of(m, "qdisc-handle 7 3 1 2147549184"), // a qdisc line for a mirror's note
                List.of(m, "mirror-filter 7 3 1 0"),
                List.of(m, "mirror-filter 7 3 1 2147483648"), // 800: a hash table, not a node
                List.of(m, "mirror-filter 7 3 1 4294967296"), // more than 32 bits
                List.of(m, "mirror-filter 7 3 1 -1"),
                List.of(m, "mirror-filter 7 3 1 +2147485696"),
                List.of(m, "mirror-filter 7 3 1 2147485696", "mirror-filter 7 3 1 2147485697"),
                List.of(m, m), // a note's number again
                List.of("qdisc 7 5 2 tbf -", "mirror 7 3 1 1 4 -"), // not numbered upwards
                List.of(m, "mirror-filter 7 3 1 2147485696 x"),
                List.of(m, "mirror-filter 7 3 1 2147485696 " + MARK + " x"),
                List.of(m, "mirror-filter 7 3 1 2147485696 " + MARK.toUpperCase(Locale.ROOT)),
                List.of(m, "mirror-filter 7 3 1 2147485696 " + MARK.substring(2)), // 15 bytes
                List.of(m, "mirror-filter 7 3 1 2147485696 " + MARK + "00"), // 17 bytes
                List.of(m, "mirror-filter 7 3 1 2147485696 " + MARK.replace('a', 'g')),
                List.of(m, "mirror-del 7 3"),
                List.of("mirror 7 3 1 4 -"), // no priority
                List.of("mirror 7 3 1 1 4"), // no reach
                List.of("mirror 7 3 1 0 4 -"),
                List.of("mirror 7 3 1 65536 4 -"),
                List.of("mirror 7 3 1 -1 4 -"),
                List.of("mirror 7 3 1 1 3 -"), // onto itself
                List.of("mirror 7 3 1 1 0 -"),
                List.of("mirror 7 3 1 1 +4 -"),
                List.of("mirror 7 0 1 1 4 -"),
                List.of("mirror 7 3 0 1 4 -"),
                List.of("mirror 7 3 1 1 4 netns ../etc"),
                List.of("mirror 7 3 1 1 4 pid 0"),
                List.of("mirror x 3 1 1 4 -"),
                List.of("mirror 7 3 1 1 4 " + MARK.substring(2) + " -"), // not an action cookie
                List.of("mirror 7 3 1 1 4 " + MARK + " " + MARK + " -"),
                List.of("mirror 7 3 1 1 4 " + MARK), // no reach
                List.of(
                        "mirror 7 3 1 1 4 " + MARK + " -",
                        "mirror-filter 7 3 1 2147485696 " + MARK.replace('a', 'b')))) {
            assertThatThrownBy(() -> parse(bad.toArray(String[]::new)))
                    .as("%s", bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void writingRefusesWhatCouldNotBeReadBack(@TempDir Path dir) throws Exception {
        CrashRecord r = CrashRecord.begin(new RunDir(dir), "t");
        try {
            assertThatThrownBy(() -> r.mirror(7, 0, 1, 4, MARK, "-")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> r.mirror(7, 3, 0, 4, MARK, "-")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> r.mirror(7, 3, 1, 3, MARK, "-")).isInstanceOf(IllegalArgumentException.class);
            long n = r.mirror(7, 3, 1, 4, MARK, "-");
            assertThatThrownBy(() -> r.mirrorFilter(7, 3, n, 0x80000000L, MARK))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> r.mirrorFilter(7, 3, n, 0x80000800L, "00"))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> r.mirror(7, 3, 1, 4, "00", "-")).isInstanceOf(IllegalArgumentException.class);
            assertThat(RecordParser.parse(r.path(), Files.readAllLines(r.path()))
                            .mirrors())
                    .containsExactly(new RecordEntry.Mirror(7, 3, 1, 4, null, 0, 0, MARK));
        } finally {
            r.close();
        }
    }

    @Test
    void aRecordListsABoundedNumberOfMirrors() {
        List<String> mirrors = new ArrayList<>();
        for (int i = 1; i <= RecordParser.MAX_DEVICE_FAULTS + 1; i++) {
            mirrors.add("mirror 7 " + i + " " + i + " 1 " + (i + 1) + " -");
        }
        assertThatThrownBy(() -> parse(mirrors.toArray(String[]::new)))
                .hasMessageContaining("more than " + RecordParser.MAX_DEVICE_FAULTS);
        assertThat(parse(mirrors.subList(0, RecordParser.MAX_DEVICE_FAULTS).toArray(String[]::new))
                        .mirrors())
                .hasSize(RecordParser.MAX_DEVICE_FAULTS);
    }
}
