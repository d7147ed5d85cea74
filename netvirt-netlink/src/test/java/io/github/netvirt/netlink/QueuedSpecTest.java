package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A batch sends what was asked when a request was queued: a spec changed afterwards (its setters
 * change it in place) changes neither the request nor its description.
 */
@RequiresRoot
class QueuedSpecTest extends TwoNamespaces {

    @Test
    void aLinkIsMadeInTheNamespaceNamedWhenItWasQueued() {
        String name = TestNames.unique("qs");
        BridgeSpec spec = LinkSpec.bridge(name).netns(a);
        NetlinkBatch batch = ha.batch();
        batch.linkAdd(spec);
        spec.netns(b).mtu(1400);
        batch.execute();
        assertThat(ha.linkList()).anyMatch(l -> l.name().equals(name) && l.mtu() != 1400);
        assertThat(hb.linkList()).noneMatch(l -> l.name().equals(name));
    }

    @Test
    void aQdiscIsAddedAsItWasQueued() {
        String dev = TestNames.unique("qs");
        ha.linkAdd(LinkSpec.veth(dev, TestNames.unique("qs")));
        TbfSpec spec = QdiscSpec.tbf(dev).rate(8_000_000).burst(16 * 1024).latency(Duration.ofMillis(50));
        NetlinkBatch batch = ha.batch();
        batch.qdiscAdd(spec);
        assertThat(batch.descriptions()).singleElement().asString().contains("root");
        spec.parent(TcHandle.of(7, 7)).rate(16_000_000);
        batch.execute();
        assertThat(ha.qdiscList(dev)).singleElement().satisfies(q -> {
            assertThat(q.isRoot()).isTrue();
            assertThat(q.tbf().rateBytesPerSecond()).isEqualTo(1_000_000);
        });
    }
}
