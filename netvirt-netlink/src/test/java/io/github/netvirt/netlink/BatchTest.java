package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Pipelined batches: many requests per datagram, acks in order, failures that say what was applied. */
@RequiresRoot
class BatchTest extends TwoNamespaces {
    @Test
    void aTopologyInOneBatch() {
        String br = TestNames.unique("nl");
        List<String> ports = TestNames.unique("nl", 40);
        List<String> peers = TestNames.unique("nl", 40);
        NetlinkBatch batch =
                ha.batch().linkAdd(LinkSpec.bridge(br).stp(false).up()).addrAdd(br, IpPrefix.parse("10.60.0.1/16"));
        for (int i = 0; i < 40; i++) {
            batch.linkAdd(LinkSpec.veth(ports.get(i), peers.get(i))
                    .peerNetns(b)
                    .master(br)
                    .up());
        }
        batch.routeAdd(RouteSpec.to(IpPrefix.parse("10.61.0.0/16")).via(IpPrefix.parseAddress("10.60.0.254")));
        assertThat(batch.size()).isEqualTo(43);
        batch.execute();

        int brIndex = ha.linkIndex(br);
        List<Link> links = ha.linkList();
        assertThat(links.stream()
                        .filter(l -> l.masterIndex() == brIndex)
                        .map(Link::name)
                        .toList())
                .containsExactlyInAnyOrderElementsOf(ports);
        assertThat(hb.linkList()).extracting(Link::name).containsAll(peers);
        assertThat(ha.addrList(br)).extracting(Address::prefix).contains(IpPrefix.parse("10.60.0.1/16"));
        assertThat(ha.routeList(254)).extracting(Route::destination).contains(IpPrefix.parse("10.61.0.0/16"));
        List<Map<String, Object>> ip = IpIn.json(a, "link", "show", "master", br);
        assertThat(ip).extracting(m -> m.get("ifname")).containsExactlyInAnyOrderElementsOf(List.copyOf(ports));
        assertThatThrownBy(batch::execute).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void everythingByChosenIfindexes() {
        String br = TestNames.unique("nl");
        String v = TestNames.unique("nl");
        String p = TestNames.unique("nl");
        ha.batch()
                .linkAdd(LinkSpec.bridge(br).index(100))
                .linkAdd(LinkSpec.veth(v, p).index(101).peerIndex(201).peerNetns(b))
                .linkSetMaster(101, 100)
                .linkSetMtu(101, 1400)
                .linkSetUp(100)
                .linkSetUp(101)
                .addrAdd(AddressSpec.of(100, IpPrefix.parse("10.65.0.1/24")))
                .routeAdd(RouteSpec.to(IpPrefix.parse("10.66.0.0/16"))
                        .via(IpPrefix.parseAddress("10.65.0.9"))
                        .dev(100))
                .execute();
        Link l = ha.link(v);
        assertThat(l.index()).isEqualTo(101);
        assertThat(l.masterIndex()).isEqualTo(100);
        assertThat(l.mtu()).isEqualTo(1400);
        assertThat(l.isUp()).isTrue();
        assertThat(hb.link(p).index()).isEqualTo(201);
        assertThat(ha.link(br).index()).isEqualTo(100);
        assertThat(IpIn.link(a, v).get("master")).isEqualTo(br);
        assertThat(ha.routeList(254)).anySatisfy(r -> {
            assertThat(r.destination()).isEqualTo(IpPrefix.parse("10.66.0.0/16"));
            assertThat(r.outputIndex()).isEqualTo(100);
        });
        ha.batch()
                .linkSetNoMaster(101)
                .linkSetDown(101)
                .linkSetName(101, v + "x")
                .execute();
        assertThat(ha.linkGet(101)).hasValueSatisfying(x -> {
            assertThat(x.name()).isEqualTo(v + "x");
            assertThat(x.masterIndex()).isZero();
            assertThat(x.isUp()).isFalse();
        });
    }

    @Test
    void failureTellsWhatWasAppliedAndStops() {
        String x = TestNames.unique("nl");
        String y = TestNames.unique("nl");
        NetlinkBatch batch = ha.batch()
                .linkAdd(LinkSpec.bridge(x))
                .linkAdd(LinkSpec.bridge(x))
                .linkAdd(LinkSpec.bridge(y))
                .addrAdd(y, IpPrefix.parse("10.62.0.1/24"));
        assertThatThrownBy(batch::execute).isInstanceOfSatisfying(BatchException.class, e -> {
            assertThat(e.failedIndex()).isEqualTo(1);
            assertThat(e.isExists()).isTrue();
            assertThat(e.errnoConstant()).isEqualTo(Errno.EEXIST);
            assertThat(e.getMessage()).contains("RTM_NEWLINK bridge " + x).contains("EEXIST");
            // the kernel processed the whole datagram: 0 and 2 were applied
            assertThat(e.succeeded()).containsExactly(0, 2);
            assertThat(e.failures()).containsExactly(1);
            // 3 came after a lookup that had to flush the datagram; it was never sent
            assertThat(e.isDone(3)).isFalse();
            assertThat(e.error(3)).isNull();
            assertThat(e.requests()).hasSize(4);
        });
        assertThat(ha.linkGet(x)).isPresent();
        assertThat(ha.linkGet(y)).isPresent();
        assertThat(ha.addrList(y)).isEmpty();
    }

    @Test
    void continueOnErrorSendsEverything() {
        String x = TestNames.unique("nl");
        String y = TestNames.unique("nl");
        String missing = TestNames.unique("nl");
        NetlinkBatch batch = ha.batch()
                .continueOnError(true)
                .linkAdd(LinkSpec.bridge(x))
                .linkSetUp(missing)
                .linkAdd(LinkSpec.bridge(y))
                .addrAdd(missing, IpPrefix.parse("10.63.0.1/24"))
                .addrAdd(y, IpPrefix.parse("10.63.0.1/24"));
        assertThatThrownBy(batch::execute).isInstanceOfSatisfying(BatchException.class, e -> {
            assertThat(e.failedIndex()).isEqualTo(1);
            assertThat(e.isNoDevice()).isTrue();
            assertThat(e.succeeded()).containsExactly(0, 2, 4);
            assertThat(e.failures()).containsExactly(1, 3);
            assertThat(e.error(3).isNoDevice()).isTrue();
            assertThat(e.error(3).getMessage()).contains("looking up link " + missing);
        });
        assertThat(ha.addrList(y)).extracting(Address::prefix).containsExactly(IpPrefix.parse("10.63.0.1/24"));
    }

    @Test
    void invalidRequestRejectedBeforeAnythingIsSent() {
        String x = TestNames.unique("nl");
        String vx = TestNames.unique("nl");
        NetlinkBatch batch = ha.batch()
                .linkAdd(LinkSpec.bridge(x))
                .linkAdd(LinkSpec.vxlan(vx, 5).group(IpPrefix.parseAddress("239.0.0.1")));
        assertThatThrownBy(batch::execute)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a device");
        assertThat(ha.linkGet(x)).isEmpty();
    }

    @Test
    void closingTheHandleEndsABatchInProgress() throws Exception {
        String br = TestNames.unique("nl");
        ha.linkAdd(LinkSpec.bridge(br));
        int index = ha.linkIndex(br);
        NetlinkBatch batch = ha.batch();
        for (int i = 0; i < 3000; i++) {
            batch.addrAdd(AddressSpec.of(index, IpPrefix.parse("10.67." + (i / 250) + "." + (i % 250 + 1) + "/32")));
        }
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                batch.execute();
                result.set("completed");
            } catch (RuntimeException e) {
                result.set(e);
            }
        });
        t.start();
        Thread.sleep(100); // the batch is under way (3000 requests take longer than that)
        ha.close();
        t.join(10_000);
        assertThat(t.isAlive()).as("batch thread still running after close()").isFalse();
        System.out.println("batch when closed: " + result.get());
        // either the batch won the race, or it stopped with an error saying what was done
        assertThat(result.get())
                .satisfiesAnyOf(
                        r -> assertThat(r).isEqualTo("completed"),
                        r -> assertThat(r).isInstanceOf(BatchException.class),
                        r -> assertThat(r).isInstanceOf(IllegalStateException.class));
        assertThatThrownBy(() -> ha.linkList())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        if (result.get() instanceof BatchException be) {
            // what the exception calls applied is exactly what the kernel has
            try (NetlinkHandle again = NetlinkHandle.open(a)) {
                assertThat(again.addrList(br)).hasSize(be.succeeded().size());
            }
        }
    }

    @Test
    void largeBatchesSpanSeveralDatagrams() {
        int n = Exchange.CHUNK_REQUESTS * 2 + 10;
        String br = TestNames.unique("nl");
        ha.linkAdd(LinkSpec.bridge(br));
        NetlinkBatch batch = ha.batch();
        for (int i = 0; i < n; i++) {
            batch.addrAdd(br, IpPrefix.parse("10.64." + (i / 250) + "." + (i % 250 + 1) + "/32"));
        }
        batch.execute();
        assertThat(ha.addrList(br)).hasSize(n);
        assertThat(IpIn.json(a, "-4", "addr", "show", "dev", br).get(0).get("addr_info"))
                .asList()
                .hasSize(n);
    }

    @Test
    void theVerbsOnlyTheHandleHadWorkInABatchToo() {
        String br = TestNames.unique("nl");
        ha.batch()
                .linkAdd(LinkSpec.bridge(br))
                .addrAdd(br, IpPrefix.parse("10.62.0.1/24"))
                .addrAdd(br, IpPrefix.parse("10.62.1.1/24"))
                .execute();
        int index = ha.linkIndex(br);
        ha.batch()
                .linkSetAlias(index, "by index")
                .addrDel(br, IpPrefix.parse("10.62.0.1/24"))
                .execute();
        assertThat(IpIn.json(a, "-d", "link", "show", "dev", br).get(0).get("ifalias"))
                .isEqualTo("by index");
        assertThat(IpIn.json(a, "addr", "show", "dev", br)
                        .get(0)
                        .get("addr_info")
                        .toString())
                .contains("10.62.1.1")
                .doesNotContain("10.62.0.1");
    }
}
