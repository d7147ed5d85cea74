package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A crash record's {@code process PID STARTTIME COOKIE} line names a process the detached topology
 * started in the namespace of COOKIE; a cleanup ends it only while it is that process in that
 * namespace. Pid and start time alone are not proof: a cleaner in another pid namespace (the case
 * the record's lock is there for) reads another process under the pid, and records are read from disk.
 */
class RecordedProcessIdentityTest {

    @Test
    void aRecordedProcessOutsideTheRecordedNamespaceIsNotEnded() throws Exception {
        Path runDir = Files.createTempDirectory("netvirt-run");
        // a process of this test, in the JVM's namespace: not netvirt's
        Process sleep = new ProcessBuilder("sleep", "60").start();
        try {
            long me = ProcessHandle.current().pid();
            // an owner that is gone (this pid, another start time), whose record names the sleep by
            // pid and start time in a namespace of a cookie it is not in
            Path record = runDir.resolve(me + "-1-1.topology");
            Files.write(
                    record,
                    List.of(
                            CrashRecord.MAGIC,
                            "owner " + me + " 1",
                            "boot " + Owner.bootId(),
                            "process " + sleep.pid() + " " + Owner.startTime(sleep.pid()) + " 987654321987"));
            CleanupReport r = Cleaner.cleanup(new RunDir(runDir));
            System.out.println("cleanup: " + r);
            assertThat(sleep.waitFor(300, TimeUnit.MILLISECONDS))
                    .as("the sleep, which is not in the recorded namespace, was ended")
                    .isFalse();
            assertThat(r.removed()).noneMatch(s -> s.contains("process " + sleep.pid()));
            assertThat(r.leftAlone()).anyMatch(s -> s.contains("process " + sleep.pid()));
        } finally {
            sleep.destroyForcibly().waitFor();
            IdentityCleanupTest.deleteRunDir(runDir);
        }
    }
}
