package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A handle whose 32-bit sequence number wraps in the middle of a batch or a name lookup still pairs
 * every ack with its request (the sequence is started just below 2^32 through a test hook).
 */
@RequiresRoot
class SequenceWrapTest {
    NetNamespace ns;
    NetlinkHandle h;

    @BeforeEach
    void setUp() {
        ns = NetNamespace.ephemeral();
        h = NetlinkHandle.open(ns, Duration.ofSeconds(2));
    }

    @AfterEach
    void tearDown() {
        h.close();
        ns.close();
    }

    @Test
    void acksAcrossTheWrapBelongToTheirRequests() {
        List<String> names = bridges(6);
        List<Integer> indexes = names.stream().map(h::linkIndex).toList();
        h.startSequenceAfter(-4); // the next numbers are 0xfffffffd, 0xfffffffe, 0xffffffff, then the wrap
        NetlinkBatch b = h.batch().continueOnError(true);
        for (int i = 0; i < 6; i++) {
            b.linkSetMtu(i == 3 ? 999_999 : indexes.get(i), 1300 + i);
        }
        BatchException e = org.assertj.core.api.Assertions.catchThrowableOfType(b::execute, BatchException.class);
        assertThat(e).as("the batch must fail at request 3 only").isNotNull();
        assertThat(e.failedIndex()).isEqualTo(3);
        for (int i = 0; i < 6; i++) {
            assertThat(e.isDone(i)).as("request %d applied", i).isEqualTo(i != 3);
        }
        for (int i = 0; i < 6; i++) {
            if (i != 3) {
                assertThat(h.link(names.get(i)).mtu()).isEqualTo(1300 + i);
            }
        }
    }

    @Test
    void nameLookupsAcrossTheWrapFindTheirOwnLinks() {
        List<String> names = bridges(5);
        h.startSequenceAfter(-3);
        NetlinkBatch b = h.batch();
        for (int i = 0; i < 5; i++) {
            b.addrAdd(names.get(i), IpPrefix.parse("10.77.0." + (i + 1) + "/32"));
        }
        b.execute();
        for (int i = 0; i < 5; i++) {
            assertThat(h.addrList(names.get(i)))
                    .as("addresses of %s", names.get(i))
                    .extracting(Address::prefix)
                    .containsExactly(IpPrefix.parse("10.77.0." + (i + 1) + "/32"));
        }
    }

    @Test
    void singleRequestsAndDumpsAcrossTheWrap() {
        List<String> names = bridges(1);
        h.startSequenceAfter(-2);
        for (int i = 0; i < 4; i++) {
            h.linkSetMtu(names.get(0), 1400 + i);
            assertThat(h.linkList()).extracting(Link::name).contains(names.get(0));
            assertThat(h.link(names.get(0)).mtu()).isEqualTo(1400 + i);
        }
        assertThatThrownBy(() -> h.linkSetMtu(999_999, 1400))
                .isInstanceOf(NetlinkException.class)
                .hasMessageContaining("ENODEV");
    }

    @Test
    void aTransactionAcrossTheWrapGetsEveryAck() {
        try (NetlinkChannel c = NetlinkChannel.open(ns, Nl.NETLINK_ROUTE, Duration.ofSeconds(2))) {
            c.startSequenceAfter(-3); // 0xfffffffe, 0xffffffff, then the wrap
            List<NetlinkChannel.Message> up = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                up.add(new NetlinkChannel.Message(
                        Nl.RTM_SETLINK,
                        Nl.NLM_F_ACK,
                        "set lo up",
                        w -> w.ifinfomsg(Nl.AF_UNSPEC, 0, 1, Nl.IFF_UP, Nl.IFF_UP)));
            }
            assertThat(c.sendAll(up)).containsExactly(null, null, null);
        }
    }

    private List<String> bridges(int n) {
        NetlinkBatch b = h.batch();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = TestNames.unique("hBw");
            names.add(name);
            b.linkAdd(LinkSpec.bridge(name));
        }
        b.execute();
        return names;
    }
}
