package io.github.netvirt.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.netvirt.core.Topology;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.TestNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The commands keepOnFailure prints are shell words: with a space in the prefix, "remove with" removes
 * the kept namespaces and nothing else (it deleted a namespace named as the prefix's first word).
 */
class KeptCommandsQuotingTest {
    static final String WORD = TestNames.unique("kq");
    static final List<TestNetwork> seen = new ArrayList<>();

    @NetvirtTest(keepOnFailure = true)
    @ExtendWith(InnerOnly.class)
    static class KeptWithASpace {
        @Network
        TestNetwork net =
                TestNetwork.of(Topology.create().prefix(WORD + " x-").ns("a").ns("b"));

        @Test
        void fails() {
            seen.add(net);
            throw new AssertionError("keep me");
        }
    }

    @Test
    void theRemovalCommandRemovesTheKeptNamespacesAndNoOther() throws Exception {
        NetNamespace foreign = NetNamespace.create(WORD);
        List<String> entries = new ArrayList<>();
        TestNetwork kept;
        synchronized (seen) {
            seen.clear();
            LauncherFactory.create()
                    .execute(
                            LauncherDiscoveryRequestBuilder.request()
                                    .selectors(selectClass(KeptWithASpace.class))
                                    .configurationParameter(InnerOnly.KEY, "true")
                                    .configurationParameter("junit.jupiter.execution.parallel.enabled", "false")
                                    .build(),
                            new TestExecutionListener() {
                                @Override
                                public void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
                                    entries.addAll(entry.getKeyValuePairs().values());
                                }
                            });
            kept = seen.get(0);
        }
        Map<String, String> names = kept.kernelNames();
        try {
            String remove = String.join("\n", entries)
                    .lines()
                    .filter(l -> l.contains("remove with: "))
                    .findFirst()
                    .orElseThrow()
                    .replaceFirst(".*remove with: ", "");
            Process p = new ProcessBuilder("sh", "-c", remove)
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor()).as(remove + ": " + out).isZero();
            assertThat(NetNamespace.exists(WORD))
                    .as("the foreign namespace " + WORD)
                    .isTrue();
            for (String kernel : names.values()) {
                assertThat(NetNamespace.exists(kernel)).as(kernel).isFalse();
            }
        } finally {
            kept.removeKept();
            for (String kernel : names.values()) {
                if (NetNamespace.exists(kernel)) {
                    NetNamespace.delete(kernel);
                }
            }
            foreign.delete();
            foreign.close();
        }
    }
}
