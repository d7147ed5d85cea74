package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import org.junit.jupiter.api.Test;

/**
 * Requests that carry a namespace's fd (IFLA_NET_NS_FD) hold the namespace until the kernel answers;
 * one closed before the request is sent is refused, not replaced by whichever namespace got its fd number.
 */
@RequiresRoot
class ClosedTargetTest {

    @Test
    void requestsCarryingAClosedNamespaceAreRefusedAndNothingLandsInTheNamespaceThatReusedItsFd() {
        try (NetNamespace a = NetNamespace.ephemeral();
                NetlinkHandle h = NetlinkHandle.open(a)) {
            NetNamespace b = NetNamespace.ephemeral();
            int oldFd = b.fd();
            VethSpec veth = LinkSpec.veth("ct-v0", "ct-v1").peerNetns(b);
            BridgeSpec bridge = LinkSpec.bridge("ct-br0").netns(b);
            NetlinkBatch batch = h.batch().linkAdd(LinkSpec.bridge("ct-br1").netns(b));
            h.linkAdd(LinkSpec.bridge("ct-br2"));
            b.close();
            // the lowest free fd number goes to the next namespace opened: most likely b's
            try (NetNamespace c = NetNamespace.ephemeral();
                    NetlinkHandle hc = NetlinkHandle.open(c)) {
                System.out.println("closed namespace's fd " + oldFd + ", the next one's " + c.fd());
                assertThatThrownBy(() -> h.linkAdd(veth))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("closed");
                assertThatThrownBy(() -> h.linkAdd(bridge)).isInstanceOf(IllegalStateException.class);
                assertThatThrownBy(batch::execute).isInstanceOf(IllegalStateException.class);
                assertThatThrownBy(() -> h.linkSetNetns("ct-br2", b)).isInstanceOf(IllegalStateException.class);
                assertThat(h.linkList()).extracting(Link::name).containsExactlyInAnyOrder("lo", "ct-br2");
                assertThat(hc.linkList()).extracting(Link::name).containsExactly("lo");
            }
        }
    }
}
