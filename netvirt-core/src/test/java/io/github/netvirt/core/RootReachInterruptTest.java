package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.internal.FileStat;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A cleanup that reaches a record's root namespace by its name opens it to read its cookie: a
 * cleanup interrupted meanwhile (a timeout, an executor shut down) must not keep the namespace open
 * once the cookie cannot be read.
 */
@RequiresRoot
class RootReachInterruptTest {
    @Test
    void anInterruptedCleanupHoldsNoNamespaceItReachedForARecord() throws Exception {
        String ns = TestNames.unique("gb");
        Path runDir = Files.createTempDirectory("netvirt-run");
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.of(ns)) {
            Ip.ok("netns", "add", ns);
            FileStat held = FileStat.of("/run/netns/" + ns, true);
            // records of dead owners whose root namespace the name now does not prove (another cookie)
            for (int i = 0; i < 300; i++) {
                Files.writeString(
                        runDir.resolve("99999999-1-" + i + ".topology"),
                        CrashRecord.MAGIC + "\nowner 99999999 1\nboot " + Owner.bootId()
                                + "\ntopology x\nroot 12345 1234567890 netns " + ns + "\n");
            }
            RecordReach.rootCookie(); // read before, as by any apply or cleanup of this JVM
            Thread t = new Thread(() -> {
                try {
                    Cleaner.cleanup(new RunDir(runDir));
                } catch (RuntimeException e) {
                    // what an interrupt makes of it is not the point
                }
            });
            t.start();
            // interrupted once it works on the records (past the lock, an interruptible channel)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (t.isAlive()
                    && System.nanoTime() < deadline
                    && Arrays.stream(t.getStackTrace())
                            .noneMatch(f -> f.getClassName().equals(Cleaner.class.getName())
                                    && f.getMethodName().equals("remove"))) {
                Thread.onSpinWait();
            }
            t.interrupt();
            t.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(t.isAlive()).isFalse();
            assertThat(fdsOn(held)).as("fds of this JVM on netns " + ns).isZero();
        } finally {
            IdentityCleanupTest.deleteRunDir(runDir);
        }
    }

    /** The fds of this JVM open on the namespace file {@code ns}. */
    private static long fdsOn(FileStat ns) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                        try {
                            FileStat st = FileStat.of(fd.toString(), true);
                            return st.inode() == ns.inode() && st.device() == ns.device();
                        } catch (IOException gone) {
                            return false;
                        }
                    })
                    .count();
        }
    }
}
