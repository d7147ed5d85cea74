package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** close() of a topology with many named namespaces: their names go on several threads, all or reported. */
@RequiresRoot
class TeardownTest {
    /** More hosts than Resources deletes one by one: the concurrent path. */
    private static final int HOSTS = 2 * Resources.DELETES_PER_THREAD;

    private static TopologyBuilder star(String prefix) {
        TopologyBuilder b = Topology.create().prefix(prefix).named();
        b.ns("br").bridge("br0");
        String[] ports = new String[HOSTS];
        for (int i = 0; i < HOSTS; i++) {
            b.ns("h" + i).veth("eth0", "br", "p" + i).addr("10.77." + i + ".1/24");
            ports[i] = "p" + i;
        }
        return b.ns("br").dev("br0").ports(ports);
    }

    private static long ourMounts(String prefix) throws Exception {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(l -> l.contains("/run/netns/" + prefix))
                .count();
    }

    private static void deleteRecordsMentioning(String prefix) throws Exception {
        for (Path r : Reference.records(" " + prefix)) {
            Files.deleteIfExists(r);
        }
    }

    /**
     * Every name and mount is gone when close() returns, also when one name was removed by hand
     * before: a name already gone (ip netns del) is nothing to remove, teardown goes by identity.
     */
    @ParameterizedTest(name = "one name removed by hand: {0}")
    @ValueSource(booleans = {false, true})
    void everyNameAndMountIsGoneWhenCloseReturns(boolean oneRemovedByHand) throws Exception {
        String p = TestNames.unique("td") + "-";
        try {
            Topology t = star(p).apply();
            assertThat(Reference.namespaces(p)).hasSize(HOSTS + 1);
            if (oneRemovedByHand) {
                Ip.run("netns", "del", p + "h7");
            }
            t.close();
            assertThat(Reference.records(" " + p))
                    .as("a complete teardown removes its crash record")
                    .isEmpty();
            assertThat(Reference.namespaces(p)).isEmpty();
            assertThat(ourMounts(p)).isZero();
        } finally {
            Reference.deleteNamespaces(p);
            deleteRecordsMentioning(p);
        }
    }
}
