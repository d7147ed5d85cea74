package io.github.netvirt.netlink;

import static io.github.netvirt.netlink.Refused.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The bridge's own notifications about its ports (family AF_BRIDGE, in the link group: {@code ip monitor
 * link} prints them as "Deleted" when a port leaves its bridge) are no link events: the port is still there.
 */
@RequiresRoot
class BridgePortEventsTest extends OneNamespace {
    @Test
    void aPortLeavingItsBridgeIsNoDeletedLink() throws Exception {
        String br = TestNames.unique("nl");
        String port = TestNames.unique("nl");
        h.linkAdd(LinkSpec.bridge(br).up());
        h.linkAdd(LinkSpec.veth(port, TestNames.unique("nl")).master(br).up());
        int index = h.linkIndex(port);
        List<NetlinkEvent> events = new ArrayList<>();
        try (EventSubscription sub = h.subscribe(EventGroup.LINK)) {
            h.linkSetNoMaster(port);
            h.linkSetMaster(port, br);
            NetlinkEvent e;
            while ((e = sub.poll(300, TimeUnit.MILLISECONDS)) != null) {
                events.add(e);
            }
        }
        assertThat(h.linkGet(index)).isPresent();
        List<NetlinkEvent> ofPort =
                events.stream().filter(e -> e.link().index() == index).toList();
        assertThat(ofPort).isNotEmpty();
        assertThat(ofPort).noneMatch(e -> e.type() == NetlinkEvent.Type.DEL_LINK);
        // every event of the port tells the link as a dump does: a veth
        assertThat(ofPort).allMatch(e -> e.link().kind().equals("veth"), "events of kind veth");
    }

    @Test
    void waitingForAPortToGoDoesNotEndWhenItLeavesItsBridge() throws Exception {
        String br = TestNames.unique("nl");
        String port = TestNames.unique("nl");
        h.linkAdd(LinkSpec.bridge(br));
        h.linkAdd(LinkSpec.veth(port, TestNames.unique("nl")).master(br));
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(200);
                try (NetlinkHandle other = NetlinkHandle.open(ns)) {
                    other.linkSetNoMaster(port);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        try {
            assertRefused(() -> h.awaitLinkGone(port, Duration.ofSeconds(1)), Errno.ETIMEDOUT);
        } finally {
            t.join();
        }
        assertThat(h.linkGet(port)).isPresent();
    }
}
