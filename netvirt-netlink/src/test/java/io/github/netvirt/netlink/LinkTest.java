package io.github.netvirt.netlink;

import static io.github.netvirt.netlink.IpIn.num;
import static io.github.netvirt.netlink.Refused.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Link operations against the kernel, read back through netlink and cross-checked with {@code ip -j -d}. */
@RequiresRoot
class LinkTest extends TwoNamespaces {
    /** The two ends of the veth most tests make (each test makes it its own way). */
    final String va = name();

    final String vb = name();

    static String name() {
        return TestNames.unique("nl");
    }

    @Test
    void vethEndsPlacedInTheirNamespaces() {
        ha.linkAdd(LinkSpec.veth(va, vb).peerNetns(b).mtu(1400).peerMtu(1400).up());
        Link la = ha.link(va);
        Link lb = hb.link(vb);
        assertThat(la.kind()).isEqualTo("veth");
        assertThat(lb.kind()).isEqualTo("veth");
        assertThat(la.isUp()).isTrue();
        assertThat(lb.isUp()).isFalse();
        assertThat(la.mtu()).isEqualTo(1400);
        assertThat(la.peerIndex()).hasValue(lb.index());
        assertThat(lb.peerIndex()).hasValue(la.index());
        assertThat(la.linkNetnsId()).isNotEqualTo(-1);
        assertThat(ha.linkGet(vb)).isEmpty();
        assertThat(hb.linkGet(va)).isEmpty();

        Map<String, Object> ipA = IpIn.link(a, va);
        assertThat(num(ipA.get("ifindex"))).isEqualTo(la.index());
        assertThat(num(ipA.get("mtu"))).isEqualTo(1400);
        assertThat(ipA.get("address")).isEqualTo(la.mac().toString());
        assertThat(((Map<?, ?>) ipA.get("linkinfo")).get("info_kind")).isEqualTo("veth");
        assertThat(num(ipA.get("link_netnsid"))).isEqualTo(la.linkNetnsId());
        assertThat(num(ipA.get("link_index"))).isEqualTo(lb.index());
        assertThat(IpIn.link(b, vb).get("address")).isEqualTo(lb.mac().toString());
    }

    @Test
    void linkIndexesAreTheIndexesOfLinkList() {
        ha.linkAdd(LinkSpec.veth(va, vb).peerNetns(b));
        ha.linkAdd(LinkSpec.bridge(va + "b"));
        assertThat(ha.linkIndexes())
                .containsExactlyElementsOf(
                        ha.linkList().stream().map(Link::index).toList())
                .contains(1, ha.link(va).index(), ha.link(va + "b").index());
    }

    @Test
    void linkExistsAgreesWithTheKernelsLinksInTheHandlesNamespace() {
        ha.linkAdd(LinkSpec.veth(va, vb).peerNetns(b));
        int ia = ha.link(va).index();
        int ib = hb.link(vb).index();
        List<Integer> inA = ha.linkIndexes();
        for (int i = 1; i <= Math.max(ia, ib) + 2; i++) {
            assertThat(ha.linkExists(i)).as("ifindex %d in a", i).isEqualTo(inA.contains(i));
        }
        // the socket's namespace answers, not the calling thread's: vb's index means nothing in a
        // unless a has a link there too
        assertThat(hb.linkExists(ib)).isTrue();
        assertThat(ha.linkExists(ib)).isEqualTo(inA.contains(ib));
        assertThat(num(IpIn.link(a, va).get("ifindex"))).isEqualTo(ia);
        ha.linkDel(va);
        assertThat(ha.linkExists(ia)).isFalse();
        assertThat(hb.linkExists(ib)).isFalse();
    }

    @Test
    void linkExistsOnAClosedHandleIsRefused() {
        NetlinkHandle h = NetlinkHandle.open(a);
        h.close();
        assertThatThrownBy(() -> h.linkExists(1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aGroupIsSetByTheCreatingRequestOnBothEnds() {
        // IFLA_IFALIAS in the same request is ignored by the kernel (KERNEL-NOTES.md); IFLA_GROUP is not
        int group = 0x4000_0123;
        ha.linkAdd(LinkSpec.veth(va, vb).group(group).peerNetns(b).peerGroup(group + 1));
        ha.linkAdd(LinkSpec.bridge(va + "b").group(group));
        assertThat(ha.link(va).group()).isEqualTo(group);
        assertThat(hb.link(vb).group()).isEqualTo(group + 1);
        assertThat(ha.link(va + "b").group()).isEqualTo(group);
        assertThat(IpIn.link(a, va).get("group")).isEqualTo(String.valueOf(group));
        assertThat(IpIn.link(b, vb).get("group")).isEqualTo(String.valueOf(group + 1));
    }

    @Test
    void aGroupsLinksAreDeletedInOneRequestAndNoOtherLink() {
        int group = 0x4000_0456;
        String br = name();
        String outside = name();
        String port = name();
        String portPeer = name();
        ha.linkAdd(LinkSpec.veth(va, vb).group(group).peerNetns(b));
        ha.linkAdd(LinkSpec.bridge(br).group(group));
        ha.linkAdd(LinkSpec.bridge(outside).group(group + 1));
        ha.linkAdd(LinkSpec.veth(port, portPeer).master(br));
        int ib = hb.link(vb).index();

        ha.linkDelGroup(group);

        assertThat(ha.linkGet(va)).isEmpty();
        assertThat(ha.linkGet(br)).isEmpty();
        // the veth's other end goes with it in its namespace, as by index; the bridge's port stays, released
        assertThat(hb.linkExists(ib)).isFalse();
        assertThat(ha.link(outside).group()).isEqualTo(group + 1);
        assertThat(ha.link(port).master()).isEmpty();
        assertThat(ha.link(portPeer).group()).isZero();
        // a group with no link left is ENODEV; a batch carries the request among others
        assertRefused(() -> ha.linkDelGroup(group), Errno.ENODEV);
        ha.linkSetGroup(outside, group);
        ha.batch().linkSetUp(outside).linkDelGroup(group).linkDel(port).execute();
        assertThat(ha.linkGet(outside)).isEmpty();
        assertThat(ha.linkGet(port)).isEmpty();
        assertThatThrownBy(() -> ha.linkDelGroup(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aGroupWithALinkTheKernelCannotDeleteIsRefusedWhole() {
        int group = 0x4000_0789;
        ha.linkAdd(LinkSpec.bridge(va).group(group));
        ha.linkSetGroup("lo", group);
        assertRefused(() -> ha.linkDelGroup(group), Errno.EOPNOTSUPP);
        assertThat(ha.link(va).group()).isEqualTo(group);
    }

    @Test
    void queueCountsAreSetOnEachEndByTheCreatingRequest() {
        ha.linkAdd(LinkSpec.veth(va, vb)
                .numTxQueues(1)
                .numRxQueues(1)
                .peerNetns(b)
                .peerNumTxQueues(1)
                .peerNumRxQueues(1));
        String vc = name();
        String vd = name();
        ha.linkAdd(LinkSpec.veth(vc, vd).numTxQueues(3).numRxQueues(2).peerNetns(b));
        assertThat(queueCounts(a, va)).containsExactly(1, 1);
        assertThat(queues(a, va)).containsExactly("rx-0", "tx-0");
        assertThat(queueCounts(b, vb)).containsExactly(1, 1);
        assertThat(queues(b, vb)).containsExactly("rx-0", "tx-0");
        assertThat(queueCounts(a, vc)).containsExactly(3, 2);
        assertThat(queues(a, vc)).containsExactly("rx-0", "rx-1", "tx-0", "tx-1", "tx-2");
        // a peer without counts of its own gets the kernel's default, as an end of a plain pair does;
        // but with none given on either end one queue each way is in use, and with this end's given,
        // all of them (KERNEL-NOTES.md)
        String ve = name();
        String vf = name();
        ha.linkAdd(LinkSpec.veth(ve, vf).peerNetns(b));
        List<Integer> byDefault = queueCounts(b, vf);
        assertThat(queues(b, vf)).containsExactly("rx-0", "tx-0");
        assertThat(queueCounts(b, vd)).isEqualTo(byDefault);
        assertThat(queues(b, vd)).hasSize(byDefault.get(0) + byDefault.get(1));
    }

    /** {@code numtxqueues} and {@code numrxqueues} as {@code ip -d -j link} reports them. */
    private static List<Integer> queueCounts(NetNamespace ns, String dev) {
        Map<String, Object> l = IpIn.link(ns, dev);
        return List.of(num(l.get("num_tx_queues")), num(l.get("num_rx_queues")));
    }

    /** The queues in use, as the namespace's own {@code /sys} lists them. */
    private static List<String> queues(NetNamespace ns, String dev) {
        return List.of(
                IpIn.run(ns, "ls", "/sys/class/net/" + dev + "/queues").trim().split("\\s+"));
    }

    @Test
    void bothEndsElsewhere() {
        try (NetNamespace c = NetNamespace.ephemeral();
                NetlinkHandle hc = NetlinkHandle.open(c)) {
            hc.linkAdd(LinkSpec.veth(va, vb).netns(a).peerNetns(b));
            assertThat(hc.linkList()).extracting(Link::name).containsExactly("lo");
        }
        assertThat(ha.link(va).peerIndex()).hasValue(hb.link(vb).index());
    }

    @Test
    void masterOfALinkCreatedElsewhereIsAnIndexThere() {
        String br = name();
        hb.linkAdd(LinkSpec.bridge(br));
        int brInB = hb.linkIndex(br);
        String v = name();
        String p = name();
        ha.linkAdd(LinkSpec.veth(v, p).netns(b).peerNetns(b).master(brInB));
        assertThat(hb.link(v).masterIndex()).isEqualTo(brInB);
        assertThat(IpIn.link(b, v).get("master")).isEqualTo(br);
    }

    @Test
    void bridgeOptions() {
        String br = name();
        ha.linkAdd(LinkSpec.bridge(br)
                .stp(true)
                .forwardDelay(Duration.ofSeconds(4))
                .ageingTime(Duration.ofSeconds(30))
                .up());
        Link l = ha.link(br);
        assertThat(l.kind()).isEqualTo("bridge");
        assertThat(l.isUp()).isTrue();
        Map<String, Object> data = IpIn.infoData(IpIn.link(a, br));
        assertThat(num(data.get("stp_state"))).isEqualTo(1);
        assertThat(num(data.get("forward_delay"))).isEqualTo(400);
        assertThat(num(data.get("ageing_time"))).isEqualTo(3000);
        assertThat(num(data.get("vlan_filtering"))).isEqualTo(0);

        String br2 = name();
        ha.linkAdd(LinkSpec.bridge(br2).stp(false));
        assertThat(num(IpIn.infoData(IpIn.link(a, br2)).get("stp_state"))).isEqualTo(0);
    }

    @Test
    void bridgeVlanFiltering() {
        String br = name();
        try {
            ha.linkAdd(LinkSpec.bridge(br).vlanFiltering(true));
        } catch (NetlinkException e) {
            // this machine's kernel is built without CONFIG_BRIDGE_VLAN_FILTERING
            assertThat(e.is(Errno.EOPNOTSUPP)).as(e.getMessage()).isTrue();
            assertThat(ha.linkGet(br)).isEmpty();
            Assumptions.abort("kernel has no bridge VLAN filtering: " + e.getMessage());
        }
        assertThat(num(IpIn.infoData(IpIn.link(a, br)).get("vlan_filtering"))).isEqualTo(1);
    }

    @Test
    void macvlanOnAVeth() {
        String mv = name();
        ha.linkAdd(LinkSpec.veth(va, vb).peerNetns(b));
        ha.linkAdd(LinkSpec.macvlan(mv, va).mode(MacvlanMode.BRIDGE));
        Link l = ha.link(mv);
        assertThat(l.kind()).isEqualTo("macvlan");
        assertThat(l.linkIndex()).isEqualTo(ha.linkIndex(va));
        Map<String, Object> ip = IpIn.link(a, mv);
        assertThat(IpIn.infoData(ip).get("mode")).isEqualTo("bridge");
        assertThat(ip.get("link")).isEqualTo(va);
    }

    @Test
    void vxlanSettings() {
        String br = name();
        String vx = name();
        ha.linkAdd(LinkSpec.bridge(br));
        ha.linkAdd(LinkSpec.vxlan(vx, 4242)
                .remote(IpPrefix.parseAddress("10.9.9.9"))
                .local(IpPrefix.parseAddress("10.9.9.1"))
                .port(4789)
                .device(br)
                .learning(false)
                .ttl(10));
        assertThat(ha.link(vx).kind()).isEqualTo("vxlan");
        Map<String, Object> data = IpIn.infoData(IpIn.link(a, vx));
        assertThat(num(data.get("id"))).isEqualTo(4242);
        assertThat(data.get("remote")).isEqualTo("10.9.9.9");
        assertThat(data.get("local")).isEqualTo("10.9.9.1");
        assertThat(num(data.get("port"))).isEqualTo(4789);
        assertThat(data.get("link")).isEqualTo(br);
        assertThat(data.get("learning")).isEqualTo(false);
        assertThat(num(data.get("ttl"))).isEqualTo(10);

        String grp = name();
        ha.linkAdd(
                LinkSpec.vxlan(grp, 7).group(IpPrefix.parseAddress("239.1.1.1")).device(br));
        assertThat(IpIn.infoData(IpIn.link(a, grp)).get("group")).isEqualTo("239.1.1.1");
    }

    @Test
    void genericKind() {
        String ifb = name();
        ha.linkAdd(LinkSpec.generic(ifb, "ifb"));
        assertThat(ha.link(ifb).kind()).isEqualTo("ifb");
        assertThat(((Map<?, ?>) IpIn.link(a, ifb).get("linkinfo")).get("info_kind"))
                .isEqualTo("ifb");
    }

    @Test
    void settingsAndMoves() {
        String br = name();
        ha.linkAdd(LinkSpec.veth(va, vb).peerNetns(b));
        ha.linkAdd(LinkSpec.bridge(br));
        ha.linkSetUp(va);
        assertThat(ha.link(va).isUp()).isTrue();
        ha.linkSetDown(va);
        assertThat(ha.link(va).isUp()).isFalse();
        ha.linkSetMtu(va, 1300);
        MacAddress mac = MacAddress.parse("02:12:34:56:78:9a");
        ha.linkSetMac(va, mac);
        ha.linkSetAlias(va, "uplink to b");
        ha.linkSetMaster(va, br);
        Link l = ha.link(va);
        assertThat(l.mtu()).isEqualTo(1300);
        assertThat(l.mac()).isEqualTo(mac);
        assertThat(l.alias()).isEqualTo("uplink to b");
        assertThat(l.masterIndex()).isEqualTo(ha.linkIndex(br));
        assertThat(l.slaveKind()).isEqualTo("bridge");
        Map<String, Object> ip = IpIn.link(a, va);
        assertThat(num(ip.get("mtu"))).isEqualTo(1300);
        assertThat(ip.get("address")).isEqualTo("02:12:34:56:78:9a");
        assertThat(ip.get("ifalias")).isEqualTo("uplink to b");
        assertThat(ip.get("master")).isEqualTo(br);

        ha.linkSetNoMaster(va);
        assertThat(ha.link(va).masterIndex()).isZero();
        assertThat(IpIn.link(a, va)).doesNotContainKey("master");

        String renamed = name();
        int index = ha.linkIndex(va);
        ha.linkSetName(va, renamed);
        assertThat(ha.linkGet(index))
                .hasValueSatisfying(x -> assertThat(x.name()).isEqualTo(renamed));
        assertThat(ha.linkGet(va)).isEmpty();

        ha.linkSetNetns(renamed, b);
        assertThat(ha.linkGet(renamed)).isEmpty();
        assertThat(hb.link(renamed).peerIndex()).hasValue(hb.linkIndex(vb));
        assertThat(IpIn.link(b, renamed).get("ifname")).isEqualTo(renamed);

        hb.linkDel(renamed);
        assertThat(hb.linkGet(renamed)).isEmpty();
        assertThat(hb.linkGet(vb)).isEmpty(); // the peer goes with it
        assertThat(IpIn.json(b, "link", "show"))
                .extracting(m -> m.get("ifname"))
                .containsExactly("lo");
    }

    @Test
    void dumpMatchesIpAndCarriesStatistics() throws Exception {
        ha.linkAdd(LinkSpec.veth(va, vb).peerNetns(b));
        // no IPv6 chatter (router solicitations, MLD), so that counters hold still between two reads
        Sysctls.of(a).ipv6Disabled(va, true);
        Sysctls.of(b).ipv6Disabled(vb, true);
        ha.linkSetUp(va);
        hb.linkSetUp(vb);
        ha.addrAdd(va, IpPrefix.parse("10.77.0.1/24"));
        hb.addrAdd(vb, IpPrefix.parse("10.77.0.2/24"));
        // traffic a -> b: three UDP datagrams, each received in b before going on
        try (DatagramChannel rx = b.openDatagramChannel();
                DatagramChannel tx = a.openDatagramChannel()) {
            rx.bind(new InetSocketAddress("10.77.0.2", 9999));
            InetSocketAddress to = new InetSocketAddress("10.77.0.2", 9999);
            for (int i = 0; i < 3; i++) {
                tx.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), to);
                rx.receive(ByteBuffer.allocate(16));
            }
        }
        List<Link> links = ha.linkList();
        List<Map<String, Object>> ip = IpIn.json(a, "-s", "link", "show");
        assertThat(links)
                .extracting(Link::name)
                .containsExactlyInAnyOrderElementsOf(
                        ip.stream().map(m -> (String) m.get("ifname")).toList());
        Link l = links.stream().filter(x -> x.name().equals(va)).findFirst().orElseThrow();
        Map<?, ?> stats = (Map<?, ?>) ip.stream()
                .filter(m -> m.get("ifname").equals(va))
                .findFirst()
                .orElseThrow()
                .get("stats64");
        assertThat(l.stats().txPackets())
                .isGreaterThanOrEqualTo(3)
                .isEqualTo(((Number) ((Map<?, ?>) stats.get("tx")).get("packets")).longValue());
        assertThat(l.stats().rxBytes()).isEqualTo(((Number) ((Map<?, ?>) stats.get("rx")).get("bytes")).longValue());
        assertThat(ha.linkGet(l.index()))
                .hasValueSatisfying(x -> assertThat(x.name()).isEqualTo(va));
    }

    @Test
    void peerUpInAnotherNamespaceAndInTheSame() {
        ha.linkAdd(LinkSpec.veth(va, vb).peerNetns(b).bothUp());
        assertThat(ha.link(va).isUp()).isTrue();
        assertThat(hb.link(vb).isUp()).isTrue();
        assertThat(String.valueOf(IpIn.link(b, vb).get("flags"))).contains("UP");
        String vc = name();
        String vd = name();
        ha.linkAdd(LinkSpec.veth(vc, vd).peerUp());
        assertThat(ha.link(vc).isUp()).isFalse();
        assertThat(ha.link(vd).isUp()).isTrue();
    }

    @Test
    void errorsAreDistinguishable() {
        String br = name();
        ha.linkAdd(LinkSpec.bridge(br));
        assertThatThrownBy(() -> ha.linkAdd(LinkSpec.bridge(br))).isInstanceOfSatisfying(NetlinkException.class, e -> {
            assertThat(e.isExists()).isTrue();
            assertThat(e.errnoConstant()).isEqualTo(Errno.EEXIST);
            assertThat(e.request()).isEqualTo("RTM_NEWLINK bridge " + br);
        });
        String missing = name();
        assertRefused(() -> ha.linkDel(missing), Errno.ENODEV);
        assertRefused(() -> ha.linkSetUp(missing), Errno.ENODEV);
        assertRefused(() -> ha.link(missing), Errno.ENODEV);
        // the kernel explains this one with an extended ack
        assertThatThrownBy(() -> ha.linkAdd(LinkSpec.generic(name(), "nosuchkind")))
                .isInstanceOfSatisfying(NetlinkException.class, e -> {
                    assertThat(e.is(Errno.EOPNOTSUPP)).as(e.getMessage()).isTrue();
                    assertThat(e.kernelMessage()).isEqualTo("Unknown device type");
                    assertThat(e.getMessage()).contains("Unknown device type");
                });
        // a malformed attribute (IFLA_MTU as 2 bytes): the kernel points at it, the exception names its type
        int lo = ha.linkIndex("lo");
        assertThatThrownBy(() ->
                        ha.execute(Request.of(Nl.RTM_NEWLINK, 0, () -> "RTM_NEWLINK lo mtu (malformed)", (w, r) -> {
                            w.ifinfomsg(0, 0, lo, 0, 0);
                            w.u16(Nl.IFLA_MTU, 1500);
                        })))
                .isInstanceOfSatisfying(NetlinkException.class, e -> {
                    assertThat(e.attributeOffset()).as(e.getMessage()).isEqualTo(32);
                    assertThat(e.attributeType()).isEqualTo(Nl.IFLA_MTU);
                    assertThat(e.getMessage()).contains("offending attribute type 4 at byte 32");
                });
        String other = name();
        assertRefused(() -> ha.linkAdd(LinkSpec.veth(name(), other).master(missing)), Errno.ENODEV);
    }

    @Test
    void badInputRejectedBeforeTheKernel() {
        assertThatThrownBy(() -> LinkSpec.bridge("a-name-longer-than-15"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("15 bytes");
        assertThatThrownBy(() -> LinkSpec.veth("ok", "bad/name")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LinkSpec.vxlan("vx", 1 << 24)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LinkSpec.bridge("br").numTxQueues(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1..4096");
        assertThatThrownBy(() -> LinkSpec.veth("ok", "peer").peerNumRxQueues(4097))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1..4096");
        assertThatThrownBy(() -> ha.linkSetMtu("lo", 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LinkSpec.vxlan(name(), 1).group(IpPrefix.parseAddress("10.0.0.1")))
                .isInstanceOf(IllegalArgumentException.class);
        // a vxlan with a group and no device is refused before anything is sent
        String vx = name();
        assertThatThrownBy(() -> ha.linkAdd(LinkSpec.vxlan(vx, 1).group(IpPrefix.parseAddress("239.1.1.1"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ha.linkGet(vx)).isEmpty();
    }

    @Test
    void handleIsUsableFromManyThreads() throws Exception {
        String br = name();
        ha.linkAdd(LinkSpec.bridge(br));
        int index = ha.linkIndex(br);
        List<Thread> threads = new ArrayList<>();
        AtomicInteger ok = new AtomicInteger();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                for (int i = 0; i < 100; i++) {
                    if (ha.linkGet(br).orElseThrow().index() == index
                            && ha.linkList().size() == 2) {
                        ok.incrementAndGet();
                    }
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        assertThat(ok.get()).isEqualTo(400);
    }
}
