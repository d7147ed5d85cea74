package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netlink.Link;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A device someone else put in a device group (ip link set DEV group N) is not deleted with a
 * topology that drew that group for its devices in the root or an adopted namespace: the group is
 * drawn again; so is a change's group that is the topology's. The draws come from a seam
 * ({@link DeviceGroups#random}) that returns the group in use first.
 */
@RequiresRoot
class DeviceGroupClashTest {
    private Supplier<RandomGenerator> before;
    /** The ranges asked for, one per draw of this test's thread. */
    private final List<String> draws = new ArrayList<>();

    @BeforeEach
    void saveSeam() {
        before = DeviceGroups.random;
    }

    @AfterEach
    void restoreSeam() {
        DeviceGroups.random = before;
    }

    /** Makes the next draw of this thread return {@code group}, the later ones random. */
    private void nextDraw(int group) {
        Thread test = Thread.currentThread();
        int[] left = {1};
        RandomGenerator scripted = new RandomGenerator() {
            @Override
            public int nextInt(int origin, int bound) {
                draws.add(origin + ".." + bound);
                return left[0]-- > 0 ? group : ThreadLocalRandom.current().nextInt(origin, bound);
            }

            @Override
            public long nextLong() {
                return ThreadLocalRandom.current().nextLong();
            }
        };
        DeviceGroups.random = () -> Thread.currentThread() == test ? scripted : ThreadLocalRandom.current();
    }

    private static int aGroup() {
        return ThreadLocalRandom.current().nextInt(DeviceGroups.LOWEST, Integer.MAX_VALUE);
    }

    private static Optional<Link> link(NetNamespace ns, String name) {
        try (NetlinkHandle h = NetlinkHandle.open(ns)) {
            return h.linkGet(name);
        }
    }

    private static Optional<Link> rootLink(String name) {
        try (NetNamespace root = NetNamespace.root()) {
            return link(root, name);
        }
    }

    @Test
    void aForeignRootDeviceInTheGroupDrawnOutlivesTheTopology() {
        String host = TestNames.unique("gA").replace("-", "");
        int group = aGroup();
        try {
            Ip.ok("link", "add", host + "f", "type", "veth", "peer", "name", host + "g");
            Ip.ok("link", "set", host + "f", "group", Integer.toString(group));
            nextDraw(group);
            int ours;
            try (Topology t = Topology.create()
                    .ephemeral()
                    .root()
                    .bridge(host + "b")
                    .down()
                    .apply()) {
                ours = t.link(Topology.ROOT, host + "b").group();
            }
            assertThat(rootLink(host + "b")).isEmpty();
            assertThat(rootLink(host + "f")).map(Link::group).contains(group);
            assertThat(rootLink(host + "g")).isPresent();
            assertThat(ours).isNotIn(0, group);
            assertThat(draws).as("the group drawn first was drawn again").hasSizeGreaterThanOrEqualTo(2);
        } finally {
            Ip.run("link", "del", host + "f");
            Ip.run("link", "del", host + "b");
        }
    }

    @Test
    void aForeignDeviceOfAnAdoptedNamespaceInTheGroupDrawnOutlivesTheTopology() throws Exception {
        String p = TestNames.unique("gA") + "-";
        String foreign = p + "foreign";
        int group = aGroup();
        Ip.ok("netns", "add", foreign);
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);
                NetNamespace ns = NetNamespace.open(foreign)) {
            Ip.ok("-n", foreign, "link", "add", "own0", "type", "veth", "peer", "name", "own1");
            Ip.ok("-n", foreign, "link", "set", "own0", "group", Integer.toString(group));
            nextDraw(group);
            int ours;
            try (Topology t = Topology.create()
                    .prefix(p)
                    .adopt("c", foreign)
                    .bridge("cbr")
                    .down()
                    .apply()) {
                ours = t.link("c", "cbr").group();
            }
            assertThat(link(ns, "cbr")).isEmpty();
            assertThat(link(ns, "own0")).map(Link::group).contains(group);
            assertThat(link(ns, "own1")).isPresent();
            assertThat(ours).isNotIn(0, group);
            assertThat(draws).as("the group drawn first was drawn again").hasSizeGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void aChangeDrawsItsOwnGroupApartFromTheTopologys() {
        // the change's group is put back to the default one where it tagged: one equal to the
        // topology's would take the change's root devices out of the topology's group, and close would leave them
        String host = TestNames.unique("gA").replace("-", "");
        try {
            int group;
            int added;
            try (Topology t = Topology.create()
                    .ephemeral()
                    .root()
                    .bridge(host + "b")
                    .down()
                    .apply()) {
                group = t.link(Topology.ROOT, host + "b").group();
                nextDraw(group);
                t.change().root().bridge(host + "c").down().apply();
                added = rootLink(host + "c").orElseThrow().group();
            }
            assertThat(rootLink(host + "b")).isEmpty();
            assertThat(rootLink(host + "c")).isEmpty();
            assertThat(added).isEqualTo(group);
            assertThat(draws).as("the group drawn first was drawn again").hasSizeGreaterThanOrEqualTo(2);
        } finally {
            Ip.run("link", "del", host + "b");
            Ip.run("link", "del", host + "c");
        }
    }

    @Test
    void theSeedDrawsNoGroup() {
        String p = TestNames.unique("gA") + "-";
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p)) {
            nextDraw(aGroup());
            Seeds.seed().prefix(p).apply().close();
            assertThat(draws).isEmpty();
        }
    }
}
