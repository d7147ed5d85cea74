package io.github.netvirt.bench.floor;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.bench.SameState;
import io.github.netvirt.bench.peer.SeedRecipe;
import io.github.netvirt.bench.peer.StarPeer;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.StateDump;
import io.github.netvirt.netns.testing.TestNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The floor builds exactly what the peers build: the same kernel state, IPv4 and links ({@link
 * StateDump}); the two-thread floor exactly what the one-thread floor builds.
 */
@RequiresRoot
class FloorTest {
    @Test
    void floorBuildsTheSameStarAsTheIpBatchPeer() throws Exception {
        SameState.assertSame(
                p -> Floor.star(p, 3),
                p -> new StarPeer("ip-batch", p, 3),
                new String[] {"pbbr", "pbh3", "10.213.0.3/16"},
                StateDump.Option.NO_IPV6);
    }

    @Test
    void floorBuildsTheSameSeedAsTheRecipe() throws Exception {
        SameState.assertSame(
                Floor::seed,
                SeedRecipe::new,
                new String[] {"net0-bridge", "br", "10.0.1.2/24"},
                StateDump.Option.NO_IPV6);
    }

    @Test
    void theTwoThreadFloorBuildsTheSameSeedAsTheOneThreadFloor() throws Exception {
        // three namespaces: one on the floor's thread, two on the second
        SameState.assertSame(
                p -> Floor.seed(p).withLoopbackUp().onTwoThreads(),
                p -> Floor.seed(p).withLoopbackUp(),
                new String[] {"net0-bridge", "br", "10.0.1.2/24", "link lo"},
                StateDump.Option.NO_IPV6);
    }

    @Test
    void theTwoThreadFloorBuildsTheSameStarAsTheOneThreadFloor() throws Exception {
        // five namespaces: the bridge's and h1 on the floor's thread, h2..h4 on the second
        SameState.assertSame(
                p -> Floor.star(p, 4).withLoopbackUp().onTwoThreads(),
                p -> Floor.star(p, 4).withLoopbackUp(),
                new String[] {"pbbr", "pbh1", "pbh4", "10.213.0.1/16", "10.213.0.4/16"},
                StateDump.Option.NO_IPV6);
    }

    @Test
    void theTwoThreadFloorSharesItsNamespacesWithASecondThreadMarksTheSamePhasesAndLeavesNothing() throws Exception {
        String p = TestNames.unique("bfl") + "-";
        Floor f = Floor.seed(p).withLoopbackUp().onTwoThreads();
        Thread second;
        try {
            for (int run = 0; run < 2; run++) {
                f.phases().start();
                f.up();
                f.phases().keep();
                for (String ns : new String[] {"net0", "net1", "bridge"}) {
                    assertThat(Ip.ok("-n", p + ns, "-o", "link", "show", "lo")).contains("UP");
                }
                // as netvirt's: each thread takes the next namespace neither has taken, so which makes
                // which depends on when the second gets a CPU
                assertThat(f.madeBy()).containsOnlyKeys(p + "bridge", p + "net0", p + "net1");
                assertThat(f.madeBy().values()).allMatch(t -> t.equals("floor") || t.equals("floor-2"));
                f.down();
                assertThat(f.madeBy()).isEmpty();
                assertThat(Ip.ok("netns", "list")).doesNotContain(p);
            }
            second = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("floor-2"))
                    .findFirst()
                    .orElseThrow();
            // the same phases as floor-lo's, so that a phase of one compares with the other's
            assertThat(f.phases().medians())
                    .containsOnlyKeys(Floor.NAMESPACES, Floor.SOCKETS, "bridge", "veths", "addresses+up", "close-fds");
            assertThat(f.phases().median(Floor.SOCKETS)).isPositive();
        } finally {
            f.cleanup();
        }
        second.join(5000);
        assertThat(second.isAlive()).isFalse();
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(p);
        assertThat(Files.exists(Path.of("/run/netns", p + "net0"))).isFalse();
        assertThat(f.system()).isEqualTo("floor-lo2");
        assertThat(Floor.seed(p).onTwoThreads().system()).isEqualTo("floor2");
    }

    @Test
    void floorLoBringsLoUpInEveryNamespaceItMakes() throws Exception {
        String p = TestNames.unique("bfl") + "-";
        Floor f = Floor.seed(p).withLoopbackUp();
        try {
            f.phases().start();
            f.up();
            f.phases().keep();
            // lo up is the namespaces phase's (as NetNamespace.create's); the netlink sockets are apart
            assertThat(f.phases().medians())
                    .containsOnlyKeys(Floor.NAMESPACES, Floor.SOCKETS, "bridge", "veths", "addresses+up", "close-fds");
            for (String ns : new String[] {"net0", "net1", "bridge"}) {
                assertThat(Ip.ok("-n", p + ns, "-o", "link", "show", "lo")).contains("UP");
            }
            assertThat(f.madeBy()).isEqualTo(Map.of(p + "bridge", "floor", p + "net0", "floor", p + "net1", "floor"));
            f.down();
        } finally {
            f.cleanup();
        }
        assertThat(f.system()).isEqualTo("floor-lo");
    }

    @Test
    void theFloorKeepingThePromisesBuildsTheSameStarAsFloorLo2() throws Exception {
        SameState.assertSame(
                p -> Floor.star(p, 4).withPromises().onTwoThreads(),
                p -> Floor.star(p, 4).withLoopbackUp().onTwoThreads(),
                new String[] {"pbbr", "pbh1", "pbh4", "10.213.0.1/16", "10.213.0.4/16", "link lo"},
                StateDump.Option.NO_IPV6);
    }

    @Test
    void theFloorKeepingThePromisesWritesARecordWhileUpAndLeavesNothing() throws Exception {
        String p = TestNames.unique("bfr") + "-";
        Floor f = Floor.seed(p).withPromises().onTwoThreads();
        try {
            for (int run = 0; run < 2; run++) {
                f.up();
                List<Path> records = floorRecords(p);
                assertThat(records).hasSize(1);
                List<String> lines = Files.readAllLines(records.get(0));
                assertThat(lines.get(0)).isEqualTo("netvirt-record 1");
                assertThat(lines.get(1))
                        .startsWith("owner " + ProcessHandle.current().pid() + " ");
                for (String ns : new String[] {"net0", "net1", "bridge"}) {
                    String name = p + ns;
                    // the inode and the cookie netvirt records, in its order: the name's file before the namespace
                    long cookie = Long.parseUnsignedLong(field(lines, "ns ", name));
                    long inode = Long.parseUnsignedLong(field(lines, "ns-file ", name));
                    assertThat(cookie).isPositive();
                    assertThat(lines.indexOf("ns-file " + inode + " " + name))
                            .isLessThan(lines.indexOf("ns " + cookie + " " + name));
                    assertThat(Ip.ok("-n", name, "-o", "link", "show", "lo")).contains("UP");
                    assertThat(inode).isPositive();
                }
                assertThat(f.madeBy()).containsOnlyKeys(p + "net0", p + "net1", p + "bridge");
                f.down();
                assertThat(floorRecords(p)).isEmpty();
                assertThat(Ip.ok("netns", "list")).doesNotContain(p);
            }
        } finally {
            f.cleanup();
        }
        assertThat(floorRecords(p)).isEmpty();
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(p);
        assertThat(f.system()).isEqualTo("floor-rec2");
        assertThat(Floor.seed(p).withPromises().system()).isEqualTo("floor-rec");
    }

    /** The second field of the line of {@code lines} that starts with {@code head} and ends with " " + {@code name}. */
    private static String field(List<String> lines, String head, String name) {
        return lines.stream()
                .filter(l -> l.startsWith(head) && l.endsWith(" " + name))
                .map(l -> l.split(" ")[1])
                .findFirst()
                .orElseThrow(() -> new AssertionError("no \"" + head + "... " + name + "\" line in " + lines));
    }

    /** This process's floor records in /run/netvirt of the namespaces named {@code p}... */
    private static List<Path> floorRecords(String p) throws Exception {
        Path dir = Path.of("/run/netvirt");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            String mine = "floor-" + ProcessHandle.current().pid() + "-";
            return s.filter(f -> f.getFileName().toString().startsWith(mine))
                    .filter(f -> {
                        try {
                            return Files.readString(f).contains(" " + p);
                        } catch (IOException e) {
                            return false; // removed meanwhile
                        }
                    })
                    .toList();
        }
    }
}
