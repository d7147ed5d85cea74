package io.github.netvirt.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NetNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * A process a {@code @RunIn} test starts with a plain {@link ProcessBuilder} is born in the host's
 * namespace: it does not outlive the test's network (it would keep the namespace alive, nameless).
 */
class RunInProcessTest {
    static final Map<String, Long> pids = new ConcurrentHashMap<>();
    static final Map<String, String> ids = new ConcurrentHashMap<>();

    @NetvirtTest
    @ExtendWith(InnerOnly.class)
    static class FailsBeforeDestroy {
        @Network
        TestNetwork net = TwoHosts.of("p", "q", "10.91.0");

        @Test
        @RunIn("p")
        void server() throws Exception {
            Process server = new ProcessBuilder("sleep", "317").start();
            pids.put("server", server.pid());
            ids.put("server", NetNamespace.currentThreadId());
            org.junit.jupiter.api.Assertions.fail("fails before destroy()");
            server.destroy();
        }
    }

    private static String netnsOf(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/net")).toString();
        } catch (IOException gone) {
            return null;
        }
    }

    @Test
    void aPlainChildOfARunInTestIsEndedWithTheNetwork() {
        pids.clear();
        TestExecutionSummary s = FailureTest.run(FailsBeforeDestroy.class);
        long pid = pids.get("server");
        try {
            assertThat(s.getTestsFailedCount()).isEqualTo(1);
            assertThat(ids.get("server")).isNotEqualTo(NetNamespace.currentThreadId());
            assertThat(netnsOf(pid))
                    .as("/proc/%d/ns/net after the network closed", pid)
                    .isNull();
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
