package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A record its live owner closes (unlinks) while a cleaner lists the run directory is gone, not
 * refused: the cleaner's stat can find the name and then read the inode once the unlink dropped its
 * last link ({@code st_nlink} 0). Each such read used to be refused with "has 0 hard links", a
 * WARNING logged and a report entry about a record that was simply closed.
 */
@RequiresRoot
class RecordClosedWhileListedTest {
    @Test
    void aRecordClosedWhileListedIsNotRefused() throws Exception {
        String tok = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
        Path dir = Path.of("/run/netvirt-iA-c" + tok);
        Files.createDirectories(dir);
        RunDir runDir = new RunDir(dir);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger closed = new AtomicInteger();
        Thread owner = new Thread(() -> {
            while (!stop.get()) {
                CrashRecord.begin(runDir, "iA closed while listed").close();
                closed.incrementAndGet();
            }
        });
        owner.start();
        List<String> refused = new ArrayList<>();
        int listings = 0;
        try {
            // ends early at the first refusal; a loaded machine only makes the window wider
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (refused.isEmpty() && System.nanoTime() < end) {
                runDir.records(refused);
                listings++;
            }
        } finally {
            stop.set(true);
            owner.join();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
        assertThat(refused)
                .as("%d listings while %d records were begun and closed", listings, closed.get())
                .isEmpty();
    }
}
