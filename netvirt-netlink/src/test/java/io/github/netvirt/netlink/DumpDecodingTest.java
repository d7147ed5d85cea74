package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netlink.codec.NlMessage;
import io.github.netvirt.netlink.codec.NlReader;
import io.github.netvirt.netns.testing.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Decodes real dump replies (captured from the kernel while iproute2 ran them) and checks every
 * decoded object against {@code ip -j} output of the same state. No root needed.
 */
class DumpDecodingTest {
    static <T> List<T> decodeAll(Vectors.Vector v, int type, Function<NlMessage, T> decoder) {
        List<T> out = new ArrayList<>();
        for (byte[] datagram : v.datagrams()) {
            for (NlMessage m : NlReader.parseAll(datagram)) {
                if (m.type() == type) {
                    out.add(decoder.apply(m));
                }
            }
        }
        return out;
    }

    @Test
    void links() {
        Vectors.Vector v = Vectors.get("dump_link");
        List<Link> links = decodeAll(v, Nl.RTM_NEWLINK, LinkCodec::decode);
        List<Map<String, Object>> json = Json.array(v.json());
        assertThat(links).hasSameSizeAs(json).hasSizeGreaterThanOrEqualTo(4);
        Map<String, Integer> indexByName = new HashMap<>();
        for (Map<String, Object> j : json) {
            indexByName.put((String) j.get("ifname"), ((Number) j.get("ifindex")).intValue());
        }
        for (Map<String, Object> j : json) {
            int index = ((Number) j.get("ifindex")).intValue();
            Link l = links.stream().filter(x -> x.index() == index).findFirst().orElseThrow();
            assertThat(l.name()).isEqualTo(j.get("ifname"));
            assertThat(l.mtu()).isEqualTo(((Number) j.get("mtu")).intValue());
            assertThat(l.operState().name()).isEqualTo(j.get("operstate"));
            assertThat(String.valueOf(l.mac())).isEqualTo(j.get("address"));
            @SuppressWarnings("unchecked")
            List<String> flags = (List<String>) j.get("flags");
            assertThat(l.isUp()).isEqualTo(flags.contains("UP"));
            @SuppressWarnings("unchecked")
            Map<String, Object> info = (Map<String, Object>) j.get("linkinfo");
            assertThat(l.kind()).isEqualTo(info == null ? "" : info.get("info_kind"));
            if (j.containsKey("link")) {
                assertThat(l.linkIndex()).isEqualTo(indexByName.get((String) j.get("link")));
            }
            if (j.containsKey("master")) {
                assertThat(l.masterIndex()).isEqualTo(indexByName.get((String) j.get("master")));
            } else {
                assertThat(l.masterIndex()).isZero();
            }
        }
    }

    @Test
    void addresses() {
        Vectors.Vector v = Vectors.get("dump_addr");
        List<Address> addrs = decodeAll(v, Nl.RTM_NEWADDR, AddressCodec::decode);
        List<String> fromIp = new ArrayList<>();
        for (Map<String, Object> link : Json.array(v.json())) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> infos = (List<Map<String, Object>>) link.get("addr_info");
            for (Map<String, Object> a : infos) {
                fromIp.add(link.get("ifindex") + " " + (String) a.get("local")
                        + "/" + a.get("prefixlen") + " peer "
                        + (a.containsKey("address") ? (String) a.get("address") : "-"));
            }
        }
        List<String> decoded = new ArrayList<>();
        for (Address a : addrs) {
            decoded.add(a.index() + " " + a.prefix() + " peer " + (a.peer() == null ? "-" : IpPrefix.format(a.peer())));
        }
        assertThat(decoded).containsExactlyInAnyOrderElementsOf(fromIp).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void routes() {
        Vectors.Vector v = Vectors.get("dump_route");
        List<Route> routes = decodeAll(v, Nl.RTM_NEWROUTE, RouteCodec::decode);
        List<String> fromIp = new ArrayList<>();
        for (Map<String, Object> r : Json.array(v.json())) {
            String dst = (String) r.get("dst");
            IpPrefix p = dst.equals("default") ? IpPrefix.parse("0.0.0.0/0") : IpPrefix.parse(dst);
            String table = String.valueOf(r.getOrDefault("table", "main"))
                    .replace("main", "254")
                    .replace("local", "255");
            fromIp.add(p + " via " + (r.containsKey("gateway") ? (String) r.get("gateway") : "-") + " table " + table
                    + " metric " + r.getOrDefault("metric", 0L));
        }
        List<String> decoded = new ArrayList<>();
        for (Route r : routes) {
            decoded.add(r.destination() + " via " + (r.gateway() == null ? "-" : IpPrefix.format(r.gateway()))
                    + " table " + Integer.toUnsignedString(r.table()) + " metric " + r.metric());
        }
        assertThat(decoded).containsExactlyInAnyOrderElementsOf(fromIp).hasSizeGreaterThanOrEqualTo(8);
        Route onlink = routes.stream()
                .filter(r -> r.destination().equals(IpPrefix.parse("10.3.0.0/16")))
                .findFirst()
                .orElseThrow();
        assertThat(onlink.isOnLink()).isTrue();
    }

    @Test
    void neighbours() {
        Vectors.Vector v = Vectors.get("dump_neigh");
        List<String> decoded = new ArrayList<>();
        for (Neighbor n : decodeAll(v, Nl.RTM_NEWNEIGH, NeighborCodec::decode)) {
            if (n.isPermanent()) {
                decoded.add(IpPrefix.format(n.ip()) + " " + n.mac());
            }
        }
        List<String> fromIp = new ArrayList<>();
        for (Map<String, Object> n : Json.array(v.json())) {
            if (String.valueOf(n.get("state")).contains("PERMANENT")) {
                fromIp.add(n.get("dst") + " " + n.get("lladdr"));
            }
        }
        assertThat(decoded)
                .containsExactlyInAnyOrderElementsOf(fromIp)
                .contains("10.0.1.7 02:00:00:00:00:57", "fd00::7 02:00:00:00:00:58");
    }

    @Test
    void fdb() {
        Map<Integer, String> names = new HashMap<>();
        for (Map<String, Object> l : Json.array(Vectors.get("dump_link").json())) {
            names.put(((Number) l.get("ifindex")).intValue(), (String) l.get("ifname"));
        }
        Vectors.Vector v = Vectors.get("dump_fdb");
        List<String> decoded = new ArrayList<>();
        for (Neighbor n : decodeAll(v, Nl.RTM_NEWNEIGH, NeighborCodec::decode)) {
            assertThat(n.isFdb()).isTrue();
            decoded.add(n.mac() + " " + names.get(n.index()) + " vlan " + n.vlan()
                    + (n.masterIndex() > 0 ? " master " + names.get(n.masterIndex()) : ""));
        }
        List<String> fromIp = new ArrayList<>();
        for (Map<String, Object> n : Json.array(v.json())) {
            fromIp.add(n.get("mac") + " " + n.get("ifname") + " vlan " + n.getOrDefault("vlan", 0L)
                    + (n.containsKey("master") ? " master " + n.get("master") : ""));
        }
        assertThat(decoded)
                .containsExactlyInAnyOrderElementsOf(fromIp)
                .contains("02:00:00:00:00:68 nlp1 vlan 0 master nlbr");
    }
}
