package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading crash records back, including the ones a kill -9 cut short. */
class CrashRecordTest {
    @TempDir
    Path dir;

    @Test
    void readsWhatWasWrittenAndIgnoresATornLastLine() throws Exception {
        Path p = dir.resolve("4242-777-1.topology");
        Files.writeString(p, "owner 4242 777\ntopology a b\nns 4026532176 co-a\\sb\nlink-intent h0\nlink 17 h0\nns 40265");
        CrashRecord.Entry e = CrashRecord.read(p);
        assertThat(e.pid()).isEqualTo(4242);
        assertThat(e.startTime()).isEqualTo("777");
        assertThat(e.kept()).isFalse();
        assertThat(e.namespaces()).containsExactly(new CrashRecord.Ns(4026532176L, "co-a b"));
        assertThat(e.links()).containsExactly(new CrashRecord.RootLink(17, "h0"));
        assertThat(e.linkIntents()).containsExactly("h0");
    }

    @Test
    void anEmptyRecordNamesItsOwnerInItsFileName() throws Exception {
        Path p = dir.resolve("99999999-1234-3.topology");
        Files.writeString(p, "");
        CrashRecord.Entry e = CrashRecord.read(p);
        assertThat(e.pid()).isEqualTo(99999999L);
        assertThat(e.ownerAlive()).isFalse();
        assertThat(e.namespaces()).isEmpty();
    }

    @Test
    void ownerIsThisProcessOnlyWithTheRightStartTime() {
        long pid = ProcessHandle.current().pid();
        String start = Owner.startTime(pid);
        assertThat(new CrashRecord.Entry(dir, pid, start, false, "", java.util.List.of(), java.util.List.of(),
                java.util.List.of()).ownerAlive()).isTrue();
        assertThat(new CrashRecord.Entry(dir, pid, start + "1", false, "", java.util.List.of(), java.util.List.of(),
                java.util.List.of()).ownerAlive()).isFalse();
        assertThat(CrashRecord.unescape(CrashRecord.escape("a b\\c"))).isEqualTo("a b\\c");
    }
}
