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
import java.util.stream.Stream;
import org.assertj.core.api.ListAssert;
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

    /**
     * Asserts that the objects of {@code type} decoded from {@code v}, as {@code lines} writes each, are
     * those of its {@code ip -j} output, as {@code ipLines} writes each JSON object.
     */
    static <T> ListAssert<String> assertDecodedAsIpShows(
            Vectors.Vector v,
            int type,
            Function<NlMessage, T> decoder,
            Function<T, Stream<String>> lines,
            Function<Map<String, Object>, Stream<String>> ipLines) {
        List<String> decoded =
                decodeAll(v, type, decoder).stream().flatMap(lines).toList();
        List<String> fromIp = Json.array(v.json()).stream().flatMap(ipLines).toList();
        return assertThat(decoded).containsExactlyInAnyOrderElementsOf(fromIp);
    }

    @Test
    void addresses() {
        assertDecodedAsIpShows(
                        Vectors.get("dump_addr"),
                        Nl.RTM_NEWADDR,
                        AddressCodec::decode,
                        a -> Stream.of(a.index() + " " + a.prefix() + " peer "
                                + (a.peer() == null ? "-" : IpPrefix.format(a.peer()))),
                        link -> {
                            @SuppressWarnings("unchecked")
                            List<Map<String, Object>> infos = (List<Map<String, Object>>) link.get("addr_info");
                            return infos.stream()
                                    .map(a -> link.get("ifindex") + " " + a.get("local") + "/" + a.get("prefixlen")
                                            + " peer " + (a.containsKey("address") ? a.get("address") : "-"));
                        })
                .hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void routes() {
        Vectors.Vector v = Vectors.get("dump_route");
        assertDecodedAsIpShows(
                        v,
                        Nl.RTM_NEWROUTE,
                        RouteCodec::decode,
                        r -> Stream.of(r.destination() + " via "
                                + (r.gateway() == null ? "-" : IpPrefix.format(r.gateway())) + " table "
                                + Integer.toUnsignedString(r.table()) + " metric " + r.metric()),
                        r -> {
                            String dst = (String) r.get("dst");
                            IpPrefix p = dst.equals("default") ? IpPrefix.parse("0.0.0.0/0") : IpPrefix.parse(dst);
                            String table = String.valueOf(r.getOrDefault("table", "main"))
                                    .replace("main", "254")
                                    .replace("local", "255");
                            return Stream.of(p + " via " + (r.containsKey("gateway") ? r.get("gateway") : "-")
                                    + " table " + table + " metric " + r.getOrDefault("metric", 0L));
                        })
                .hasSizeGreaterThanOrEqualTo(8);
        Route onlink = decodeAll(v, Nl.RTM_NEWROUTE, RouteCodec::decode).stream()
                .filter(r -> r.destination().equals(IpPrefix.parse("10.3.0.0/16")))
                .findFirst()
                .orElseThrow();
        assertThat(onlink.isOnLink()).isTrue();
    }

    @Test
    void neighbours() {
        assertDecodedAsIpShows(
                        Vectors.get("dump_neigh"),
                        Nl.RTM_NEWNEIGH,
                        NeighborCodec::decode,
                        n -> n.isPermanent() ? Stream.of(IpPrefix.format(n.ip()) + " " + n.mac()) : Stream.empty(),
                        n -> String.valueOf(n.get("state")).contains("PERMANENT")
                                ? Stream.of(n.get("dst") + " " + n.get("lladdr"))
                                : Stream.empty())
                .contains("10.0.1.7 02:00:00:00:00:57", "fd00::7 02:00:00:00:00:58");
    }

    @Test
    void fdb() {
        Map<Integer, String> names = new HashMap<>();
        for (Map<String, Object> l : Json.array(Vectors.get("dump_link").json())) {
            names.put(((Number) l.get("ifindex")).intValue(), (String) l.get("ifname"));
        }
        Vectors.Vector v = Vectors.get("dump_fdb");
        assertThat(decodeAll(v, Nl.RTM_NEWNEIGH, NeighborCodec::decode)).allMatch(Neighbor::isFdb);
        assertDecodedAsIpShows(
                        v,
                        Nl.RTM_NEWNEIGH,
                        NeighborCodec::decode,
                        n -> Stream.of(n.mac() + " " + names.get(n.index()) + " vlan " + n.vlan()
                                + (n.masterIndex() > 0 ? " master " + names.get(n.masterIndex()) : "")),
                        n -> Stream.of(n.get("mac") + " " + n.get("ifname") + " vlan " + n.getOrDefault("vlan", 0L)
                                + (n.containsKey("master") ? " master " + n.get("master") : "")))
                .contains("02:00:00:00:00:68 nlp1 vlan 0 master nlbr");
    }
}
