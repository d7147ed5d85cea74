package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ip -echo link add}: the kernel tells the link it made, in the request's own answer, so that
 * nothing has to look it up by a name someone may have taken since.
 */
@RequiresRoot
class LinkAddEchoTest extends TwoNamespaces {
    @Test
    void theEchoTellsTheIndexTheKernelChose() {
        String br = TestNames.unique("nl");
        List<Link> made = new ArrayList<>();
        ha.batch().linkAdd(LinkSpec.bridge(br).group(77).up(), made::add).execute();
        assertThat(made).hasSize(1);
        assertThat(made.get(0).name()).isEqualTo(br);
        assertThat(made.get(0).index()).isEqualTo(ha.linkIndex(br));
        assertThat(made.get(0).group()).isEqualTo(77);
    }

    @Test
    void aVethsEchoTellsItsPeersIndexInTheOtherNamespace() {
        String end = TestNames.unique("nl");
        String peer = TestNames.unique("nl");
        List<Link> made = new ArrayList<>();
        ha.linkAdd(
                LinkSpec.veth(end, peer)
                        .netns(a)
                        .index(1000)
                        .peerNetns(b)
                        .group(5)
                        .peerGroup(5),
                made::add);
        assertThat(made).hasSize(1);
        Link l = made.get(0);
        assertThat(l.index()).isEqualTo(1000);
        assertThat(l.peerIndex()).hasValue(hb.linkIndex(peer));
        assertThat(l.linkNetnsId()).as("the peer is in another namespace").isNotEqualTo(-1);
    }

    @Test
    void aFailedAddEchoesNothing() {
        String br = TestNames.unique("nl");
        ha.linkAdd(LinkSpec.bridge(br));
        List<Link> made = new ArrayList<>();
        assertThatThrownBy(
                        () -> ha.batch().linkAdd(LinkSpec.bridge(br), made::add).execute())
                .isInstanceOf(BatchException.class);
        assertThat(made).isEmpty();
    }
}
