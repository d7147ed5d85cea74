package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The qdisc and link-down lines of a crash record: written and read back, and refused when they do
 * not hold together.
 */
class CrashRecordDeviceFaultsTest {
    private static final Path P = Path.of("/nonexistent/4242-777-1.topology");

    private static RecordEntry parse(String... lines) {
        List<String> all = new ArrayList<>(List.of(CrashRecord.MAGIC, "owner 4242 777", "boot " + Owner.bootId()));
        all.addAll(List.of(lines));
        return RecordParser.parse(P, all);
    }

    @Test
    void writtenQdiscsAndCutsReadBackUntilHealed(@TempDir Path dir) throws Exception {
        CrashRecord r = CrashRecord.begin(new RunDir(dir), "t");
        try {
            long a = r.rootQdisc(7, 3, "tbf", "netns a\\sb");
            r.rootQdiscHandle(7, 3, a, 0x80010000L);
            r.rootQdisc(8, 3, "netem", "pid 99"); // another namespace's device 3
            long c = r.rootQdisc(9, 4, "tbf", "-");
            r.rootQdiscHandle(9, 4, c, 0xffff0000L);
            r.rootQdiscDeleted(9, 4, c);
            r.linkDown(7, 5, "eth1", "netns a\\sb");
            r.linkDown(7, 5, "eth1", "netns a\\sb"); // a nested cut
            r.linkDown(7, 6, "eth2", "-");
            r.linkUp(7, 5);
            r.linkUp(7, 6);
            RecordEntry e = RecordParser.parse(r.path(), Files.readAllLines(r.path()));
            assertThat(e.qdiscs())
                    .containsExactly(
                            new RecordEntry.RootQdisc(7, 3, "tbf", "a b", 0, 0x80010000L),
                            new RecordEntry.RootQdisc(8, 3, "netem", null, 99, 0));
            assertThat(e.cuts()).containsExactly(new RecordEntry.CutLink(7, 5, "eth1", "a b", 0));
        } finally {
            r.close();
        }
    }

    @Test
    void aQdiscCanBeRecordedAgainOnceDeleted() {
        assertThat(parse("qdisc 7 3 1 tbf -", "qdisc-handle 7 3 1 2147549184", "qdisc-del 7 3 1", "qdisc 7 3 2 netem -")
                        .qdiscs())
                .containsExactly(new RecordEntry.RootQdisc(7, 3, "netem", null, 0, 0));
    }

    @Test
    void notesOfOneDeviceThatOverlapArePairedByNumber() {
        // a second add noted while the first's qdisc is on the device: refused (EEXIST), or made once
        // someone deleted the first's
        assertThat(parse("qdisc 7 3 1 tbf -", "qdisc-handle 7 3 1 2147549184", "qdisc 7 3 2 tbf -", "qdisc-del 7 3 2")
                        .qdiscs())
                .containsExactly(new RecordEntry.RootQdisc(7, 3, "tbf", null, 0, 0x80010000L));
        assertThat(parse(
                                "qdisc 7 3 1 tbf -",
                                "qdisc-handle 7 3 1 2147549184",
                                "qdisc 7 3 2 netem -",
                                "qdisc-handle 7 3 2 2147614720",
                                "qdisc-del 7 3 1")
                        .qdiscs())
                .containsExactly(new RecordEntry.RootQdisc(7, 3, "netem", null, 0, 0x80020000L));
    }

    @Test
    void linesThatDoNotHoldTogetherAreRefused() {
        String q = "qdisc 7 3 1 tbf netns a";
        String d = "link-down 7 5 eth1 netns a";
        for (List<String> bad : List.of(
                List.of("qdisc-handle 7 3 1 2147549184"), // no qdisc before
                List.of("qdisc-del 7 3 1"),
                List.of(q, "qdisc-handle 8 3 1 2147549184"), // another namespace's
                List.of(q, "qdisc-handle 7 4 1 2147549184"), // another device's
                List.of(q, "qdisc-handle 7 3 2 2147549184"), // another note's
                List.of(q, "qdisc-del 7 3 2"),
                List.of(q, "qdisc-handle 7 3 1 0"),
                List.of(q, "qdisc-handle 7 3 1 2147549185"), // a minor: not a root qdisc's handle
                List.of(q, "qdisc-handle 7 3 1 4294967296"), // more than 32 bits
                List.of(q, "qdisc-handle 7 3 1 -1"),
                List.of(q, "qdisc-handle 7 3 1 2147549184", "qdisc-handle 7 3 1 2147614720"),
                List.of(q, q), // a note's number again
                List.of(q, "qdisc 7 4 0 tbf -"), // not numbered upwards
                List.of(q, "qdisc-handle 7 3 1 2147549184 x"),
                List.of(q, "qdisc-handle 7 3 2147549184"), // no note
                List.of(q, "qdisc-del 7 3"),
                List.of("qdisc 7 3 tbf -"), // no note
                List.of("qdisc 7 3 1 tbf"), // no reach
                List.of("qdisc 7 3 0 tbf -"),
                List.of("qdisc 7 3 -1 tbf -"),
                List.of("qdisc 7 3 +1 tbf -"),
                List.of("qdisc 7 0 1 tbf -"),
                List.of("qdisc 7 -3 1 tbf -"),
                List.of("qdisc 7 +3 1 tbf -"),
                List.of("qdisc 7 2147483648 1 tbf -"),
                List.of("qdisc 7 3 1 Tbf -"),
                List.of("qdisc 7 3 1 htb -"), // no fault adds one: a planted line must not get it deleted
                List.of("qdisc 7 3 1 clsact -"),
                List.of("qdisc 7 3 1 tbf/x -"),
                List.of("qdisc 7 3 1 " + "a".repeat(16) + " -"),
                List.of("qdisc 7 3 1 tbf netns ../etc"),
                List.of("qdisc 7 3 1 tbf pid 0"),
                List.of("qdisc x 3 1 tbf -"),
                List.of("link-up 7 5"), // no cut before
                List.of(d, "link-up 8 5"), // another namespace's
                List.of(d, "link-up 7 6"),
                List.of(d, "link-up 7 5", "link-up 7 5"), // one line per cut
                List.of(d, "link-up 7 5 eth1"),
                List.of("link-down 7 5 eth1"), // no reach
                List.of("link-down 7 5 " + "e".repeat(16) + " -"),
                List.of("link-down 7 5 a/b -"),
                List.of("link-down 7 5 a:b -"),
                List.of("link-down 7 5 .. -"),
                List.of("link-down 7 0 eth1 -"),
                List.of("link-down 7 5 eth1 elsewhere"))) {
            assertThatThrownBy(() -> parse(bad.toArray(String[]::new)))
                    .as("%s", bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void writingRefusesWhatCouldNotBeReadBack(@TempDir Path dir) throws Exception {
        CrashRecord r = CrashRecord.begin(new RunDir(dir), "t");
        try {
            assertThatThrownBy(() -> r.rootQdisc(7, 0, "tbf", "-")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> r.rootQdisc(7, 3, "t b", "-")).isInstanceOf(IllegalArgumentException.class);
            long n = r.rootQdisc(7, 3, "tbf", "-");
            assertThatThrownBy(() -> r.rootQdiscHandle(7, 3, n, 0x80010001L))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> r.linkDown(7, 5, "a b", "-")).isInstanceOf(IllegalArgumentException.class);
            assertThat(RecordParser.parse(r.path(), Files.readAllLines(r.path()))
                            .qdiscs())
                    .containsExactly(new RecordEntry.RootQdisc(7, 3, "tbf", null, 0, 0));
        } finally {
            r.close();
        }
    }

    @Test
    void aRecordListsABoundedNumberOfQdiscsAndCuts() {
        List<String> qdiscs = new ArrayList<>();
        List<String> cuts = new ArrayList<>();
        for (int i = 1; i <= RecordParser.MAX_DEVICE_FAULTS + 1; i++) {
            qdiscs.add("qdisc 7 " + i + " " + i + " tbf -");
            cuts.add("link-down 7 5 eth1 -");
        }
        assertThatThrownBy(() -> parse(qdiscs.toArray(String[]::new)))
                .hasMessageContaining("more than " + RecordParser.MAX_DEVICE_FAULTS);
        assertThatThrownBy(() -> parse(cuts.toArray(String[]::new)))
                .hasMessageContaining("more than " + RecordParser.MAX_DEVICE_FAULTS);
        assertThat(parse(qdiscs.subList(0, RecordParser.MAX_DEVICE_FAULTS).toArray(String[]::new))
                        .qdiscs())
                .hasSize(RecordParser.MAX_DEVICE_FAULTS);
    }
}
