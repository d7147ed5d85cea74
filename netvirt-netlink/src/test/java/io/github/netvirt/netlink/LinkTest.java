package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.List;
import org.junit.jupiter.api.Test;

@RequiresRoot
class LinkTest {
    @Test
    void smoke() throws Exception {
        try (NetNamespace a = NetNamespace.ephemeral(); NetNamespace b = NetNamespace.ephemeral();
                NetlinkHandle ha = NetlinkHandle.open(a); NetlinkHandle hb = NetlinkHandle.open(b)) {
            String va = TestNames.unique("nl");
            String vb = TestNames.unique("nl");
            ha.linkAdd(LinkSpec.veth(va, vb).peerNetns(b).up());
            Link la = ha.link(va);
            Link lb = hb.link(vb);
            assertThat(la.kind()).isEqualTo("veth");
            assertThat(la.isUp()).isTrue();
            assertThat(lb.isUp()).isFalse();
            assertThat(la.peerIndex()).hasValue(lb.index());
            assertThat(ha.linkGet(vb)).isEmpty();
            ha.addrAdd(va, IpPrefix.parse("10.0.1.1/24"));
            List<Address> addrs = ha.addrList(va);
            assertThat(addrs).extracting(Address::prefix).contains(IpPrefix.parse("10.0.1.1/24"));
            assertThatThrownBy(() -> ha.linkAdd(LinkSpec.bridge(va))).isInstanceOfSatisfying(NetlinkException.class,
                    e -> assertThat(e.isExists()).isTrue());
            assertThatThrownBy(() -> ha.linkDel("nl-nothere")).isInstanceOfSatisfying(NetlinkException.class,
                    e -> assertThat(e.isNoDevice()).as(e.getMessage()).isTrue());
            System.out.println(ha.linkList());
        }
    }
}
