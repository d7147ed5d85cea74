package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netlink.codec.NlWriter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Every request kind, encoded by netvirt, is byte for byte what iproute2 sent for the same command
 * (captured with strace, see src/test/resources/iproute2/capture.py). No root needed.
 */
class RequestEncodingTest {
    private static void check(String vector, Request r) {
        check(vector, r, Map.of());
    }

    private static void check(String vector, Request r, Map<String, Integer> names) {
        Vectors.Vector v = Vectors.get(vector);
        assertThat(Vectors.hex(Vectors.encode(r, v.seq(), names))).as(v.cmd()).isEqualTo(Vectors.hex(v.bytes()));
    }

    private static InetAddress ip(String s) {
        return IpPrefix.parseAddress(s);
    }

    private static void checkGet(String vector, int type, int flags, Consumer<NlWriter> body) {
        Vectors.Vector v = Vectors.get(vector);
        NlWriter w = new NlWriter(64);
        int m = w.begin(type, flags, v.seq(), 0);
        body.accept(w);
        w.end(m);
        assertThat(Vectors.hex(w.toByteArray())).as(v.cmd()).isEqualTo(Vectors.hex(v.bytes()));
    }

    @Test
    void getsAndDumps() {
        int dump = Nl.NLM_F_REQUEST | Nl.NLM_F_DUMP;
        checkGet("get_link_by_name", Nl.RTM_GETLINK, Nl.NLM_F_REQUEST, w -> LinkCodec.writeGet(w, LinkRef.of("nlbr")));
        checkGet("dump_link_request", Nl.RTM_GETLINK, dump, LinkCodec::writeDump);
        checkGet("dump_addr_request", Nl.RTM_GETADDR, dump, w -> AddressCodec.writeDump(w, Nl.AF_UNSPEC));
        checkGet("dump_route_request", Nl.RTM_GETROUTE, dump, w -> RouteCodec.writeDump(w, Nl.AF_UNSPEC));
        checkGet("dump_neigh_request", Nl.RTM_GETNEIGH, dump, w -> NeighborCodec.writeDump(w, Nl.AF_UNSPEC));
        checkGet("dump_fdb_request", Nl.RTM_GETNEIGH, dump, w -> NeighborCodec.writeDump(w, Nl.AF_BRIDGE));
    }

    @Test
    void vethWithPeerInAnotherNamespace() {
        Vectors.Vector v = Vectors.get("veth_peer_netns");
        check(v.name(), LinkCodec.add(LinkSpec.veth("nlva", "nlvb").peerNetnsFd(v.var("peerfd"))));
    }

    @Test
    void vethWithEverySetting() {
        Vectors.Vector v = Vectors.get("veth_full");
        check(
                v.name(),
                LinkCodec.add(LinkSpec.veth("nlvc", "nlvd")
                        .index(40)
                        .mtu(1400)
                        .mac(MacAddress.parse("02:00:00:00:00:11"))
                        .netnsFd(v.var("fd"))
                        .peerIndex(41)
                        .peerMtu(1300)
                        .peerMac(MacAddress.parse("02:00:00:00:00:12"))
                        .peerNetnsFd(v.var("peerfd"))));
    }

    @Test
    void vethWithQueueCounts() {
        check(
                "veth_queues",
                LinkCodec.add(LinkSpec.veth("nlve", "nlvf")
                        .mtu(1400)
                        .numTxQueues(1)
                        .numRxQueues(1)
                        .peerNumTxQueues(1)
                        .peerNumRxQueues(1)));
    }

    @Test
    void bridges() {
        check("bridge_plain", LinkCodec.add(LinkSpec.bridge("nlbr2")));
        check(
                "bridge_options",
                LinkCodec.add(LinkSpec.bridge("nlbr")
                        .stp(true)
                        .forwardDelay(Duration.ofSeconds(4))
                        .ageingTime(Duration.ofSeconds(30))));
        check("bridge_vlan_filtering", LinkCodec.add(LinkSpec.bridge("nlbr9").vlanFiltering(true)));
    }

    @Test
    void macvlan() {
        Vectors.Vector v = Vectors.get("macvlan_bridge");
        check(
                v.name(),
                LinkCodec.add(LinkSpec.macvlan("nlmv", "nlbr").mode(MacvlanMode.BRIDGE)),
                Map.of("nlbr", v.var("lower")));
    }

    @Test
    void vxlan() {
        Vectors.Vector v = Vectors.get("vxlan");
        check(
                v.name(),
                LinkCodec.add(LinkSpec.vxlan("nlvx", 42)
                        .remote(ip("10.9.9.9"))
                        .local(ip("10.9.9.1"))
                        .device("nlbr")
                        .ttl(10)
                        .learning(false)
                        .port(4789)),
                Map.of("nlbr", v.var("dev")));
    }

    @Test
    void genericKind() {
        check("ifb", LinkCodec.add(LinkSpec.generic("nlifb", "ifb")));
    }

    @Test
    void linkSettings() {
        int i = Vectors.get("set_up").var("index");
        check("set_up", LinkCodec.setUp(LinkRef.of(i), true));
        check("set_down", LinkCodec.setUp(LinkRef.of(i), false));
        check("set_mtu", LinkCodec.setMtu(LinkRef.of(i), 1400));
        check("set_mac", LinkCodec.setMac(LinkRef.of(i), MacAddress.parse("02:00:00:00:00:21")));
        check(
                "set_master",
                LinkCodec.setMaster(
                        LinkRef.of(i), LinkRef.of(Vectors.get("set_master").var("master"))));
        check("set_nomaster", LinkCodec.setMaster(LinkRef.of(i), null));
        check("set_name", LinkCodec.setName(LinkRef.of(i), "nlvz"));
        check("set_alias", LinkCodec.setAlias(LinkRef.of(i), "hello"));
        Vectors.Vector ns = Vectors.get("set_netns");
        check("set_netns", LinkCodec.setNetns(LinkRef.of(ns.var("index")), ns.var("fd"), "nl-cap-b"));
        check("link_del", LinkCodec.del(LinkRef.of(Vectors.get("link_del").var("index"))));
        check("link_del_group", LinkCodec.delGroup(77));
    }

    @Test
    void addresses() {
        int i = Vectors.get("addr_add").var("index");
        check("addr_add", AddressCodec.REQUESTS.add(AddressSpec.of(i, IpPrefix.parse("10.0.1.1/24"))));
        check(
                "addr_add_broadcast",
                AddressCodec.REQUESTS.add(
                        AddressSpec.of(i, IpPrefix.parse("10.0.2.1/24")).broadcast(ip("10.0.2.255"))));
        check(
                "addr_add_peer",
                AddressCodec.REQUESTS.add(
                        AddressSpec.of(i, IpPrefix.parse("10.0.3.1/32")).peer(ip("10.0.3.2"))));
        check(
                "addr_add_v6",
                AddressCodec.REQUESTS.add(
                        AddressSpec.of(i, IpPrefix.parse("fd00::1/64")).noDad()));
        check("addr_replace", AddressCodec.REQUESTS.replace(AddressSpec.of(i, IpPrefix.parse("10.0.2.1/24"))));
        check("addr_del", AddressCodec.REQUESTS.del(AddressSpec.of(i, IpPrefix.parse("10.0.2.1/24"))));
    }

    @Test
    void routes() {
        int i = Vectors.get("route_via_dev").var("index");
        check(
                "route_via_dev",
                RouteCodec.add(RouteSpec.to(IpPrefix.parse("10.1.0.0/16"))
                        .via(ip("10.0.1.254"))
                        .dev(i)));
        check("route_default", RouteCodec.add(RouteSpec.defaultRoute(false).via(ip("10.0.1.254"))));
        check(
                "route_table_metric",
                RouteCodec.add(RouteSpec.to(IpPrefix.parse("10.2.0.0/16"))
                        .table(100)
                        .via(ip("10.0.1.254"))
                        .metric(50)
                        .dev(i)));
        check(
                "route_table_big",
                RouteCodec.add(RouteSpec.to(IpPrefix.parse("10.5.0.0/16"))
                        .table(1000)
                        .via(ip("10.0.1.254"))
                        .dev(i)));
        check(
                "route_onlink",
                RouteCodec.add(RouteSpec.to(IpPrefix.parse("10.3.0.0/16"))
                        .via(ip("192.168.99.1"))
                        .dev(i)
                        .onLink()));
        check(
                "route_dev",
                RouteCodec.add(RouteSpec.to(IpPrefix.parse("10.4.0.0/16")).dev(i)));
        check(
                "route_replace",
                RouteCodec.replace(RouteSpec.to(IpPrefix.parse("10.4.0.0/16")).dev(i)));
        check(
                "route_mtu",
                RouteCodec.add(RouteSpec.to(IpPrefix.parse("10.6.0.0/16"))
                        .via(ip("10.0.1.254"))
                        .metric(9)
                        .mtu(1400)
                        .dev(i)));
        check(
                "route_v6",
                RouteCodec.add(RouteSpec.to(IpPrefix.parse("fd01::/64"))
                        .via(ip("fd00::2"))
                        .dev(i)));
        check(
                "route_del",
                RouteCodec.del(RouteSpec.to(IpPrefix.parse("10.4.0.0/16")).dev(i)));
    }

    @Test
    void neighboursAndFdb() {
        int i = Vectors.get("neigh_add").var("index");
        check(
                "neigh_add",
                NeighborCodec.REQUESTS.add(NeighborSpec.of(i, ip("10.0.1.5"), MacAddress.parse("02:00:00:00:00:55"))));
        check(
                "neigh_add_v6",
                NeighborCodec.REQUESTS.add(NeighborSpec.of(i, ip("fd00::5"), MacAddress.parse("02:00:00:00:00:56"))));
        check("neigh_del", NeighborCodec.REQUESTS.del(NeighborSpec.of(i, ip("10.0.1.5"), null)));
        int port = Vectors.get("fdb_add").var("index");
        check("fdb_add", NeighborCodec.REQUESTS.add(NeighborSpec.fdb(port, MacAddress.parse("02:00:00:00:00:66"))));
        check(
                "fdb_add_vlan",
                NeighborCodec.REQUESTS.add(NeighborSpec.fdb(port, MacAddress.parse("02:00:00:00:00:67"))
                        .vlan(1)));
    }
}
