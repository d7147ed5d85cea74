package io.github.netvirt.tap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.EventGroup;
import io.github.netvirt.netlink.EventSubscription;
import io.github.netvirt.netlink.LinkSpec;
import io.github.netvirt.netlink.NetlinkEvent;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TapDevice#openQueue()} attaches a queue to the device behind the fd, whatever it is called
 * now: never to another device that took the name it had when opened, never creating a new device
 * of that name, and not at all once the device has left its namespace or been deleted.
 */
@RequiresRoot
class QueueFollowsTheDeviceTest {
    private static final Pattern NUM_QUEUES = Pattern.compile("\"numqueues\":(\\d+)");

    private NetNamespace ns;
    private NetlinkHandle h;

    @BeforeEach
    void namespace() {
        ns = NetNamespace.ephemeral();
        h = NetlinkHandle.open(ns);
    }

    @AfterEach
    void close() {
        try {
            h.close();
        } finally {
            ns.close();
        }
    }

    @Test
    void aQueueOfARenamedTapIsItsOwnNotTheTapThatTookItsOldName() throws Exception {
        try (TapDevice ours = TapDevice.tap("gFq%d").multiQueue(true).open(ns)) {
            String old = ours.name();
            h.linkSetName(ours.ifindex(), "gFours");
            try (TapDevice theirs = TapDevice.tap(old).multiQueue(true).open(ns)) {
                assertThat(theirs.ifindex()).isNotEqualTo(ours.ifindex());
                try (TapDevice queue = ours.openQueue()) {
                    assertThat(queue.ifindex()).as("the queue's device").isEqualTo(ours.ifindex());
                    assertThat(queue.name()).isEqualTo("gFours");
                    assertThat(numQueues(ns, old)).as("theirs").isEqualTo(1);
                    assertThat(numQueues(ns, "gFours")).as("ours").isEqualTo(2);
                }
            }
        }
    }

    @Test
    void aQueueOfARenamedTapWhoseOldNameIsFreeMakesNoDevice() throws Exception {
        try (TapDevice ours = TapDevice.tap("gFq%d").multiQueue(true).open(ns)) {
            h.linkSetName(ours.ifindex(), "gFours");
            List<String> before = links(h);
            try (TapDevice queue = ours.openQueue()) {
                assertThat(links(h)).as("the namespace's links").isEqualTo(before);
                assertThat(queue.ifindex()).isEqualTo(ours.ifindex());
                assertThat(numQueues(ns, "gFours")).isEqualTo(2);
            }
        }
    }

    @Test
    void aTapMovedAwayGetsNoQueueAndNoDeviceIsMadeInItsOldNamespace() throws Exception {
        try (NetNamespace other = NetNamespace.ephemeral();
                TapDevice ours = TapDevice.tap("gFmv").multiQueue(true).open(ns)) {
            h.linkSetNetns(ours.ifindex(), other);
            List<String> before = links(h);
            assertThatThrownBy(() -> ours.openQueue().close())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("gFmv")
                    .hasMessageContaining("no longer in " + ns)
                    .hasMessageContaining("moved");
            assertThat(links(h)).isEqualTo(before);
            assertThat(numQueues(other, "gFmv")).isEqualTo(1);
        }
    }

    @Test
    void aTapDeletedUnderItsFdGetsNoQueueAndNoDeviceIsMade() throws Exception {
        try (TapDevice ours = TapDevice.tap("gFdel").multiQueue(true).open(ns)) {
            h.linkDel(ours.ifindex());
            List<String> before = links(h);
            assertThatThrownBy(() -> ours.openQueue().close())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("gFdel")
                    .hasMessageContaining("deleted");
            assertThat(links(h)).isEqualTo(before);
        }
    }

    @Test
    void aTapRenamedJustBeforeTheAttachWhileAnotherTakesItsNameGetsItsOwnQueue() throws Exception {
        try (TapDevice ours = TapDevice.tap("gFq%d").multiQueue(true).open(ns)) {
            String old = ours.name();
            TapDevice[] theirs = new TapDevice[1];
            try {
                try (TapDevice queue = ours.openQueue(once(() -> {
                    h.linkSetName(ours.ifindex(), "gFours");
                    theirs[0] = TapDevice.tap(old).multiQueue(true).open(ns);
                }))) {
                    assertThat(theirs[0]).as("the hook ran").isNotNull();
                    assertThat(queue.ifindex()).as("the queue's device").isEqualTo(ours.ifindex());
                    assertThat(queue.name()).isEqualTo("gFours");
                    assertThat(numQueues(ns, old)).as("theirs").isEqualTo(1);
                    assertThat(numQueues(ns, "gFours")).as("ours").isEqualTo(2);
                }
            } finally {
                if (theirs[0] != null) {
                    theirs[0].close();
                }
            }
        }
    }

    @Test
    void aTapRenamedJustBeforeTheAttachNeverHasADeviceMadeUnderItsOldName() throws Exception {
        try (TapDevice ours = TapDevice.tap("gFq%d").multiQueue(true).open(ns);
                EventSubscription events = h.subscribe(EventGroup.LINK)) {
            int index = ours.ifindex();
            List<Integer> existing = h.linkIndexes();
            try (TapDevice queue = ours.openQueue(once(() -> h.linkSetName(index, "gFours")))) {
                assertThat(queue.ifindex()).isEqualTo(index);
                assertThat(queue.name()).isEqualTo("gFours");
                assertThat(numQueues(ns, "gFours")).isEqualTo(2);
            }
            // events come in order: every one before the marker's came before it
            h.linkAdd(LinkSpec.bridge("gFmark"));
            List<Integer> indexes = new ArrayList<>();
            NetlinkEvent e;
            do {
                e = events.poll(Duration.ofSeconds(30));
                assertThat(e).as("the marker's event").isNotNull();
                indexes.add(e.link() == null ? 0 : e.link().index());
            } while (e.link() == null || !e.link().name().equals("gFmark"));
            indexes.remove(indexes.size() - 1);
            assertThat(indexes)
                    .as("the links of the events before the marker's: no new one")
                    .contains(index)
                    .isSubsetOf(existing);
            h.linkDel("gFmark");
            assertThat(links(h)).containsExactlyInAnyOrder("1:lo", index + ":gFours");
        }
    }

    @Test
    void aTapRenamedJustBeforeTheAttachLeavesTheOptionsOfAQueuelessTapThatTookItsName() throws Exception {
        try (TapDevice ours = TapDevice.tap("gFq%d").multiQueue(true).open(ns)) {
            String old = ours.name();
            try (TapDevice queue = ours.openQueue(once(() -> {
                h.linkSetName(ours.ifindex(), "gFours");
                try {
                    // persistent, no queue: the first queue attached would set its options to its own
                    Kernel.ip(ns, "tuntap", "add", "dev", old, "mode", "tap", "multi_queue", "pi");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }))) {
                assertThat(queue.ifindex()).isEqualTo(ours.ifindex());
                assertThat(Kernel.link(ns, old)).as("theirs").contains("\"pi\":true", "\"numqueues\":0");
            } finally {
                Kernel.ip(ns, "link", "del", "dev", old);
            }
        }
    }

    /** {@code action} the first time it runs, nothing after. */
    private static Runnable once(Runnable action) {
        boolean[] ran = new boolean[1];
        return () -> {
            if (!ran[0]) {
                ran[0] = true;
                action.run();
            }
        };
    }

    /** Index and name of every link of the namespace. */
    private static List<String> links(NetlinkHandle h) {
        return h.linkList().stream()
                .map(l -> l.index() + ":" + l.name())
                .sorted()
                .toList();
    }

    private static int numQueues(NetNamespace ns, String dev) throws Exception {
        Matcher m = NUM_QUEUES.matcher(Kernel.link(ns, dev));
        assertThat(m.find()).as("numqueues of %s", dev).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
