package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A started process gets the environment of its {@link ProcessBuilder}, whatever the wrapper that
 * makes its mounts does on the way: the shell's variables of that wrapper (it runs with the
 * command's environment) are not the command's.
 */
@RequiresRoot
class StartedProcessEnvironmentTest {
    /** Names a shell script might use for its own variables, each with a value of the caller's. */
    private static final Map<String, String> CALLERS =
            Map.of("n", "caller-n", "ns", "caller-ns", "f", "caller-f", "k", "caller-k", "fail", "caller-fail");

    private static Map<String, String> environmentSeen(NetNamespace ns) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("env");
        pb.environment().putAll(CALLERS);
        Process p = ns.start(pb);
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).isZero();
        return out.lines()
                .map(l -> l.split("=", 2))
                .filter(kv -> kv.length == 2 && CALLERS.containsKey(kv[0]))
                .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
    }

    @Test
    void theCallersVariablesReachTheCommandUnchanged() throws Exception {
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            assertThat(environmentSeen(ns)).isEqualTo(CALLERS);
        }
    }

    @Test
    void theCallersVariablesReachTheCommandUnchangedWithEtcFiles() throws Exception {
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            ns.etcFile("hosts", "127.0.0.1 localhost\n");
            assertThat(environmentSeen(ns)).isEqualTo(CALLERS);
        }
    }

    @Test
    void theCallersVariablesReachTheCommandUnchangedWithEtcNetnsFiles() throws Exception {
        String name = TestNames.unique("nvenv");
        Path etcNetns = Path.of("/etc/netns");
        boolean madeParent = !Files.exists(etcNetns);
        Path dir = etcNetns.resolve(name);
        try (NetNamespace ns = NetNamespace.create(name)) {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n");
            assertThat(environmentSeen(ns)).isEqualTo(CALLERS);
            ns.delete();
        } finally {
            Files.deleteIfExists(dir.resolve("hosts"));
            Files.deleteIfExists(dir);
            if (madeParent) {
                try (var entries = Files.list(etcNetns)) {
                    if (entries.findAny().isEmpty()) {
                        Files.deleteIfExists(etcNetns);
                    }
                }
            }
            if (NetNamespace.exists(name)) {
                NetNamespace.delete(name);
            }
        }
    }
}
