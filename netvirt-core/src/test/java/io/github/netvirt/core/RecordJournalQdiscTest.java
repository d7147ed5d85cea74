package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.internal.Journal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lines a {@link RecordJournal} writes for the root qdiscs of netvirt-faults ({@code RootQdisc.on}:
 * noted before the add, {@code made} after its echo, {@code gone} when the add is refused or at the
 * heal) read back as what is on the device, also when two notes of one device overlap.
 */
class RecordJournalQdiscTest {
    private static final long COOKIE = 7;

    private static <T> T open(Supplier<T> call) {
        return call.get();
    }

    private static RecordEntry read(CrashRecord r) throws Exception {
        return RecordParser.parse(r.path(), Files.readAllLines(r.path()));
    }

    @Test
    void aSecondFaultRefusedOnTheDeviceLeavesTheFirstInTheRecord(@TempDir Path dir) throws Exception {
        CrashRecord r = CrashRecord.begin(new RunDir(dir), "t");
        try {
            RecordJournal j = new RecordJournal(RecordJournalQdiscTest::open, () -> r, COOKIE, "-");
            Journal.Made first = j.rootQdisc(3, "tbf");
            first.made(0x80010000L);
            // RateLimit.on again on that device: noted before the add, which the kernel refuses (EEXIST)
            j.rootQdisc(3, "tbf").gone();
            assertThat(read(r).qdiscs())
                    .containsExactly(new RecordEntry.RootQdisc(COOKIE, 3, "tbf", null, 0, 0x80010000L));
            first.gone();
            assertThat(read(r).qdiscs()).isEmpty();
        } finally {
            r.close();
        }
    }

    @Test
    void aFaultAddedAfterSomeoneDeletedTheFirstsQdiscIsTheOneItsHealUnnotes(@TempDir Path dir) throws Exception {
        CrashRecord r = CrashRecord.begin(new RunDir(dir), "t");
        try {
            RecordJournal j = new RecordJournal(RecordJournalQdiscTest::open, () -> r, COOKIE, "-");
            Journal.Made first = j.rootQdisc(3, "tbf");
            first.made(0x80010000L);
            // someone's tc qdisc del dev DEV root: the second fault's add succeeds while the first is in force
            Journal.Made second = j.rootQdisc(3, "netem");
            second.made(0x80020000L);
            first.gone(); // its heal finds another qdisc there and leaves it
            assertThat(read(r).qdiscs())
                    .containsExactly(new RecordEntry.RootQdisc(COOKIE, 3, "netem", null, 0, 0x80020000L));
        } finally {
            r.close();
        }
    }
}
