package io.github.netvirt.netlink;

import static io.github.netvirt.netlink.IpIn.num;
import static io.github.netvirt.netlink.Refused.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.testing.Json;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Qdiscs and filters against the kernel, read back through netlink and cross-checked with {@code tc -j}. */
@RequiresRoot
class TrafficControlTest extends OneNamespace {
    final String p0 = TestNames.unique("tc");
    final String p1 = TestNames.unique("tc");

    @BeforeEach
    void setUp() {
        h.linkAdd(LinkSpec.veth(p0, p1).bothUp());
    }

    private List<Map<String, Object>> tc(String... args) {
        List<String> cmd = new ArrayList<>(List.of("tc", "-j"));
        cmd.addAll(List.of(args));
        String out = IpIn.run(ns, cmd.toArray(new String[0])).trim();
        return out.isEmpty() ? List.of() : Json.array(out);
    }

    private List<Map<String, Object>> tcQdiscs(String dev) {
        return tc("qdisc", "show", "dev", dev);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> options(Map<String, Object> o) {
        return (Map<String, Object>) o.get("options");
    }

    private List<Qdisc> ours(String kind) {
        List<Qdisc> out = new ArrayList<>();
        for (Qdisc q : h.qdiscList(p0)) {
            if (q.kind().equals(kind)) {
                out.add(q);
            }
        }
        return out;
    }

    @Test
    void tbfReplaceIsShownByTcAndReadBack() {
        h.qdiscReplace(QdiscSpec.tbf(p0).rate(2_000_000).burst(16 * 1024).latency(Duration.ofMillis(100)));
        List<Qdisc> tbf = ours("tbf");
        assertThat(tbf).hasSize(1);
        Qdisc q = tbf.get(0);
        assertThat(q.isRoot()).isTrue();
        assertThat(q.index()).isEqualTo(h.linkIndex(p0));
        assertThat(q.tbf().rateBytesPerSecond()).isEqualTo(250_000);
        assertThat(q.tbf().burstBytes()).isEqualTo(16 * 1024);
        assertThat(q.tbf().limitBytes()).isEqualTo(250_000 / 10 + 16 * 1024);

        List<Map<String, Object>> shown = tcQdiscs(p0);
        assertThat(shown).hasSize(1);
        assertThat(shown.get(0))
                .containsEntry("kind", "tbf")
                .containsEntry("root", true)
                .containsEntry("handle", TcHandle.format(q.handle()));
        assertThat(num(options(shown.get(0)).get("rate"))).isEqualTo(250_000);
        assertThat(num(options(shown.get(0)).get("burst"))).isEqualTo(16 * 1024);
        assertThat(num(options(shown.get(0)).get("lat"))).isEqualTo(100_000); // microseconds

        // replace changes the one qdisc in place
        h.qdiscReplace(QdiscSpec.tbf(p0).rate(8_000_000).burst(32 * 1024).limit(100_000));
        assertThat(ours("tbf")).singleElement().satisfies(r -> {
            assertThat(r.tbf()).isEqualTo(new Qdisc.Tbf(1_000_000, 32 * 1024, 100_000));
            assertThat(r.handle()).isEqualTo(q.handle());
        });
        assertThat(num(options(tcQdiscs(p0).get(0)).get("rate"))).isEqualTo(1_000_000);

        // add where one exists: EEXIST, nothing changed
        assertRefused(
                () -> h.qdiscAdd(QdiscSpec.tbf(p0).rate(1_000_000).burst(4096).limit(10_000)), Errno.EEXIST);
        assertThat(ours("tbf"))
                .singleElement()
                .satisfies(r -> assertThat(r.tbf().rateBytesPerSecond()).isEqualTo(1_000_000));

        h.qdiscDel(QdiscSpec.root(p0));
        assertThat(ours("tbf")).isEmpty();
        assertThat(tcQdiscs(p0)).noneMatch(m -> "tbf".equals(m.get("kind")));
        // only the default qdisc is left: deleting it is ENOENT
        assertRefused(() -> h.qdiscDel(QdiscSpec.root(p0)), Errno.ENOENT);
    }

    @Test
    void ingressWithAMirrorFilterIsShownByTcAndReadBack() {
        h.qdiscAdd(QdiscSpec.ingress(p0));
        h.filterAdd(FilterSpec.u32MatchAll(p0)
                .parent(TcHandle.INGRESS_QDISC)
                .priority(1)
                .mirredEgressMirror(p1));

        assertThat(ours("ingress")).singleElement().satisfies(q -> {
            assertThat(q.isIngress()).isTrue();
            assertThat(q.handle()).isEqualTo(TcHandle.INGRESS_QDISC);
        });
        assertThat(tcQdiscs(p0))
                .anySatisfy(m -> assertThat(m)
                        .containsEntry("kind", "ingress")
                        .containsEntry("handle", "ffff:")
                        .containsEntry("parent", "ffff:fff1"));

        List<Filter> filters = h.filterList(p0, TcHandle.INGRESS_QDISC);
        List<Map<String, Object>> shown = tc("filter", "show", "dev", p0, "ingress");
        assertThat(filters).hasSameSizeAs(shown).isNotEmpty();
        for (int i = 0; i < filters.size(); i++) {
            Filter f = filters.get(i);
            assertThat(f.kind()).isEqualTo(shown.get(i).get("kind")).isEqualTo("u32");
            assertThat(f.priority()).isEqualTo(num(shown.get(i).get("pref"))).isEqualTo(1);
            assertThat(shown.get(i)).containsEntry("protocol", "all");
            assertThat(f.protocol()).isEqualTo(0x0003);
        }
        int p1Index = h.linkIndex(p1);
        assertThat(filters)
                .filteredOn(f -> !f.mirred().isEmpty())
                .singleElement()
                .satisfies(f -> assertThat(f.mirred()).singleElement().satisfies(m -> {
                    assertThat(m.isEgressMirror()).isTrue();
                    assertThat(m.ifindex()).isEqualTo(p1Index);
                }));
        assertThat(IpIn.run(ns, "tc", "filter", "show", "dev", p0, "ingress"))
                .contains("mirred (Egress Mirror to device " + p1 + ")");

        h.filterDel(FilterSpec.u32MatchAll(p0).priority(1));
        assertThat(h.filterList(p0, TcHandle.INGRESS_QDISC)).isEmpty();
        assertThat(tc("filter", "show", "dev", p0, "ingress")).isEmpty();

        h.qdiscDel(QdiscSpec.ingress(p0));
        assertThat(ours("ingress")).isEmpty();
        assertThat(tcQdiscs(p0)).noneMatch(m -> "ingress".equals(m.get("kind")));
        assertRefused(() -> h.qdiscDel(QdiscSpec.ingress(p0)), Errno.ENOENT, Errno.EINVAL);
        assertRefused(() -> h.qdiscDel(QdiscSpec.ingress(p1)), Errno.ENOENT);
    }

    @Test
    void aBatchInstallsQdiscAndFilterTogether() {
        h.batch()
                .qdiscAdd(QdiscSpec.ingress(p0))
                .filterAdd(FilterSpec.u32MatchAll(p0).priority(2).mirredEgressMirror(p1))
                .execute();
        assertThat(h.filterList(p0, TcHandle.INGRESS_QDISC))
                .anySatisfy(f -> assertThat(f.mirred()).isNotEmpty());
        assertThat(tc("filter", "show", "dev", p0, "ingress"))
                .anySatisfy(m -> assertThat(num(m.get("pref"))).isEqualTo(2));
        // deleting the ingress qdisc removes its filters with it
        h.batch().qdiscDel(QdiscSpec.ingress(p0)).execute();
        assertThat(tcQdiscs(p0)).noneMatch(m -> "ingress".equals(m.get("kind")));
    }

    @Test
    void missingDevicesFailBeforeAnythingIsAdded() {
        assertThatThrownBy(() -> h.qdiscReplace(
                        QdiscSpec.tbf("tcnosuchdev").rate(1_000_000).burst(4096).limit(10_000)))
                .isInstanceOfSatisfying(NetlinkException.class, e -> {
                    assertThat(e.isNoDevice()).isTrue();
                    assertThat(e).hasMessageContaining("tcnosuchdev");
                });
        h.qdiscAdd(QdiscSpec.ingress(p0));
        assertRefused(
                        () -> h.filterAdd(FilterSpec.u32MatchAll(p0).priority(1).mirredEgressMirror("tcnosuchdev")),
                        Errno.ENODEV)
                .hasMessageContaining("tcnosuchdev");
        assertThat(tc("filter", "show", "dev", p0, "ingress")).isEmpty();
        assertRefused(() -> h.qdiscAdd(QdiscSpec.ingress(p0)), Errno.EEXIST);
    }

    @Test
    void netemIsInstalledWhereTheKernelHasIt() {
        NetemSpec netem = QdiscSpec.netem(p0)
                .delay(Duration.ofMillis(10), Duration.ofMillis(1))
                .loss(0.01)
                .seed(7);
        try {
            h.qdiscReplace(netem);
        } catch (NetlinkException e) {
            // this project's CI kernel has no sch_netem: the kernel says the kind is unknown, nothing is left
            assertThat(e.is(Errno.ENOENT)).as(e.getMessage()).isTrue();
            assertThat(tcQdiscs(p0)).noneMatch(m -> "netem".equals(m.get("kind")));
            return;
        }
        assertThat(tcQdiscs(p0)).anySatisfy(m -> assertThat(m).containsEntry("kind", "netem"));
        assertThat(ours("netem")).hasSize(1);
    }
}
