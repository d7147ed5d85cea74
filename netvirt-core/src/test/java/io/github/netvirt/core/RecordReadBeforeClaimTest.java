package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;

/**
 * A cleanup reads every record first and acts on them one after the other: an owner alive when its
 * record was read may add to it (a change) and die before the cleanup comes to it.
 */
@RequiresRoot
class RecordReadBeforeClaimTest {
    private static final String OTHER_BOOT = "00000000-0000-4000-8000-000000000001";

    @Test
    void whatAnOwnerAddedAfterItsRecordWasReadIsCleanedUpToo() throws Exception {
        String p = TestNames.unique("rk") + "-";
        Path runDir = Files.createTempDirectory(Path.of("/run"), "netvirt-rk-");
        Process child = null;
        Logger log = Logger.getLogger(Cleaner.class.getName());
        Handler hook = null;
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p)) {
            List<String> options = new ArrayList<>(List.of("-D" + Reaper.PROPERTY + "=false"));
            if (Runtime.version().feature() >= 22) {
                options.add("--enable-native-access=ALL-UNNAMED");
            }
            // a record the cleanup comes to before the owner's (an earlier boot's: it touches nothing but
            // itself). ext4 lists a small directory in the order of its names' hashes, so some owner
            // record names come after almost every other name: then another owner (another pid, another
            // name) is started
            String earlier = CrashRecord.MAGIC + "\nowner 1 1\nboot " + OTHER_BOOT + "\n";
            Path first = null;
            Path owned = null;
            BufferedReader out = null;
            for (int attempt = 0; first == null && attempt < 8; attempt++) {
                if (child != null) {
                    child.destroyForcibly().waitFor();
                    Reference.deleteNamespaces(p);
                    Files.delete(owned);
                }
                child = ChildJvm.of(runDir, options, LateChangeChild.class, p).start();
                out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                assertThat(out.readLine()).isEqualTo("applied");
                owned = IdentityCleanupTest.records(runDir).get(0);
                for (int seq = 1; first == null && seq < 100; seq++) {
                    Path f = runDir.resolve("1-1-" + seq + ".topology");
                    Files.writeString(f, earlier);
                    if (new RunDir(runDir)
                            .records(new ArrayList<>())
                            .get(0)
                            .path()
                            .equals(f)) {
                        first = f;
                    } else {
                        Files.delete(f);
                    }
                }
            }
            assertThat(first).as("a name listed before " + owned).isNotNull();
            // while the cleanup is at that first record, the owner changes its topology and is killed
            Process owner = child;
            BufferedReader reader = out;
            AtomicReference<Throwable> failed = new AtomicReference<>();
            hook = new Handler() {
                private boolean done;

                @Override
                public synchronized void publish(LogRecord r) {
                    if (done || !new SimpleFormatter().formatMessage(r).contains("earlier boot")) {
                        return;
                    }
                    done = true;
                    try {
                        owner.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
                        owner.getOutputStream().flush();
                        assertThat(reader.readLine()).isEqualTo("changed");
                        IdentityCleanupTest.kill9(owner);
                    } catch (Throwable e) {
                        failed.set(e);
                    }
                }

                @Override
                public void flush() {}

                @Override
                public void close() {}
            };
            log.setLevel(Level.INFO);
            log.addHandler(hook);
            CleanupReport r = Cleaner.cleanup(new RunDir(runDir));
            assertThat(failed.get()).isNull();
            assertThat(child.isAlive()).isFalse();
            assertThat(Reference.namespaces(p))
                    .as("cleanup removed " + r.removed() + ", records left " + IdentityCleanupTest.records(runDir))
                    .isEmpty();
        } finally {
            if (hook != null) {
                log.removeHandler(hook);
                log.setLevel(null);
            }
            if (child != null) {
                child.destroyForcibly().waitFor();
            }
            Reference.deleteNamespaces(p);
            IdentityCleanupTest.deleteRunDir(runDir);
        }
    }
}
