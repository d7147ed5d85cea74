package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Handles for many namespaces opened in one hand-off each talk to their own namespace. */
@RequiresRoot
class OpenManyTest {

    @Test
    void eachHandleOfABulkOpenLivesInItsNamespace() {
        List<NetNamespace> all = NetNamespace.ephemeral(4);
        List<NetlinkHandle> handles = NetlinkHandle.open(all);
        try {
            assertThat(handles).hasSize(4);
            for (int i = 0; i < 4; i++) {
                handles.get(i).linkAdd(LinkSpec.bridge("only" + i));
            }
            for (int i = 0; i < 4; i++) {
                assertThat(handles.get(i).namespace()).isSameAs(all.get(i));
                assertThat(handles.get(i).linkList())
                        .extracting(Link::name)
                        .containsExactlyInAnyOrder("lo", "only" + i);
            }
        } finally {
            handles.forEach(NetlinkHandle::close);
            all.forEach(NetNamespace::close);
        }
    }
}
