package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A record begun while cleanups of the same run directory run all the time: {@link CrashRecord#begin}
 * takes its lock just after it creates the file, and a cleaner that claims the file in between makes
 * it start again under another name (up to 3 times, then the apply fails). Counts the names skipped
 * that way; an audit run, skipped unless asked for: {@code -Dia.begins=N}.
 */
@RequiresRoot
class IaBeginUnderCleanupsTest {
    @Test
    void beginsWhileCleanupsRun() throws Exception {
        Assumptions.assumeTrue(System.getProperty("ia.begins") != null, "an audit run: -Dia.begins=N");
        int begins = Integer.getInteger("ia.begins");
        String tok = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
        Path dir = Path.of("/run/netvirt-iA-b" + tok);
        Files.createDirectories(dir);
        RunDir runDir = new RunDir(dir);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger cleanups = new AtomicInteger();
        List<String> problems = new ArrayList<>();
        List<Process> jvms = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) { // other JVMs cleaning the same directory in a loop
                jvms.add(ChildJvm.of(dir, List.of("-Dnetvirt.reaper=false"), IaCleanupLoop.class)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start());
            }
            Thread cleaner = new Thread(() -> {
                while (!stop.get()) {
                    CleanupReport r = Cleaner.cleanup(runDir);
                    cleanups.incrementAndGet();
                    for (String s : r.leftAlone()) {
                        if (!s.contains("its owner is running")) {
                            synchronized (problems) {
                                problems.add("cleanup left alone: " + s);
                            }
                        }
                    }
                    if (!r.removed().isEmpty()) {
                        synchronized (problems) {
                            problems.add("cleanup removed " + r.removed());
                        }
                    }
                }
            });
            cleaner.start();
            int skipped = 0;
            int failed = 0;
            long last = -1;
            for (int i = 0; i < begins; i++) {
                CrashRecord r;
                try {
                    r = CrashRecord.begin(runDir, "iA begin " + i);
                } catch (RuntimeException e) {
                    failed++;
                    problems.add("begin " + i + " failed: " + e);
                    continue;
                }
                String[] f = r.path().getFileName().toString().split("[-.]");
                long seq = Long.parseLong(f[2]);
                if (last >= 0 && seq != last + 1) {
                    skipped += (int) (seq - last - 1);
                }
                last = seq;
                r.close();
            }
            stop.set(true);
            cleaner.join();
            System.out.println(
                    "begins " + begins + " names skipped " + skipped + " failed " + failed + " cleanups " + cleanups);
            assertThat(problems)
                    .as("names skipped %d, cleanups %s", skipped, cleanups)
                    .isEmpty();
        } finally {
            stop.set(true);
            for (Process p : jvms) {
                p.destroyForcibly().waitFor();
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }
}
