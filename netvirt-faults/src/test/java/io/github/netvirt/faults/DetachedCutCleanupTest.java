package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.core.Topology;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@link Topology#detach()} heals the faults on the namespaces it adopted (their handles close), so
 * its kept crash record must not list them any more: {@link Topology#removeDetached} later must not
 * set up a device the cut had once set down, which someone else set down since.
 */
@RequiresRoot
class DetachedCutCleanupTest {
    private final String p = TestNames.unique("ra");
    private final String app = p + "-app";
    private final String l0 = p + "l0";
    private final String l1 = p + "l1";
    private String runDirBefore;
    private Path runDir;

    @BeforeEach
    void script() throws IOException {
        Ip.ok("netns", "add", app);
        Ip.ok("-n", app, "link", "add", l0, "type", "veth", "peer", "name", l1);
        Ip.ok("-n", app, "link", "set", l0, "up");
        Ip.ok("-n", app, "link", "set", l1, "up");
        runDir = Files.createTempDirectory("netvirt-run-ra");
        runDirBefore = System.setProperty("netvirt.run.dir", runDir.toString());
    }

    @AfterEach
    void teardown() throws IOException {
        if (runDirBefore == null) {
            System.clearProperty("netvirt.run.dir");
        } else {
            System.setProperty("netvirt.run.dir", runDirBefore);
        }
        Topology.removeDetached(p); // in case the test failed before
        Ip.run("netns", "del", app);
        try (var files = Files.list(runDir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(runDir);
    }

    private static boolean up(String ns, String dev) {
        return Ip.ok("-n", ns, "-j", "link", "show", "dev", dev).matches("(?s).*\"flags\": ?\\[[^]]*\"UP\".*");
    }

    @Test
    void removeDetachedLeavesADeviceSetDownSinceTheDetachHealedItsCut() {
        Topology t =
                Topology.create().prefix(p + "-").ns("own").adopt("app", app).apply();
        LinkCut.cut(t.namespace("app"), l0);
        assertThat(up(app, l0)).as("%s cut", l0).isFalse();
        t.detach();
        assertThat(up(app, l0)).as("%s healed by the detach", l0).isTrue();
        Ip.ok("-n", app, "link", "set", l0, "down"); // someone else's doing, after the cut is over

        List<String> removed = Topology.removeDetached(p + "-");

        assertThat(up(app, l0)).as("%s set up; removed %s", l0, removed).isFalse();
        assertThat(removed).noneMatch(r -> r.contains(l0));
    }
}
