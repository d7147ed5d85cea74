package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A batch that renames, deletes, moves or creates a link and later names a link: the name means the
 * link that has it at that point of the batch, never the index it had when first looked up.
 */
@RequiresRoot
class BatchNamesTest extends OneNamespace {
    NetNamespace other;

    @BeforeEach
    void setUp() {
        other = NetNamespace.ephemeral();
    }

    @AfterEach
    void tearDown() {
        other.close();
    }

    static String name() {
        return TestNames.unique("hBn");
    }

    static IpPrefix ip(String p) {
        return IpPrefix.parse(p);
    }

    /** The addresses iproute2 sees on {@code dev}, as "a.b.c.d/len". */
    List<String> addrsOf(String dev) {
        List<Map<String, Object>> j = IpIn.json(ns, "addr", "show", "dev", dev);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> infos = (List<Map<String, Object>>) j.get(0).get("addr_info");
        return infos.stream()
                .filter(i -> "inet".equals(i.get("family")))
                .map(i -> i.get("local") + "/" + ((Number) i.get("prefixlen")).intValue())
                .toList();
    }

    @Test
    void aNameGivenToAnotherLinkAfterARename() {
        String a = name();
        String c = name();
        String d = name();
        h.batch().linkAdd(LinkSpec.bridge(a)).linkAdd(LinkSpec.bridge(d)).execute();
        int aIndex = h.linkIndex(a);
        int dIndex = h.linkIndex(d);
        h.batch()
                .addrAdd(a, ip("10.81.0.1/24"))
                .linkSetName(a, c)
                .linkSetName(d, a)
                .addrAdd(a, ip("10.81.0.2/24"))
                .execute();
        assertThat(h.link(c).index()).isEqualTo(aIndex);
        assertThat(h.link(a).index()).isEqualTo(dIndex);
        assertThat(addrsOf(c)).containsExactly("10.81.0.1/24");
        assertThat(addrsOf(a))
                .as("the second address goes to the link named " + a + " by then")
                .containsExactly("10.81.0.2/24");
    }

    @Test
    void aNameDeletedAndCreatedAgain() {
        String a = name();
        h.linkAdd(LinkSpec.bridge(a));
        int old = h.linkIndex(a);
        h.batch()
                .addrAdd(a, ip("10.82.0.1/24"))
                .linkDel(a)
                .linkAdd(LinkSpec.bridge(a))
                .addrAdd(a, ip("10.82.0.2/24"))
                .linkSetMtu(a, 1400)
                .execute();
        Link now = h.link(a);
        assertThat(now.index()).isNotEqualTo(old);
        assertThat(now.mtu()).isEqualTo(1400);
        assertThat(addrsOf(a)).containsExactly("10.82.0.2/24");
    }

    @Test
    void aNameLookedUpAheadThenDeletedAndTakenByARename() {
        String a = name();
        String b = name();
        h.batch().linkAdd(LinkSpec.bridge(a)).linkAdd(LinkSpec.bridge(b)).execute();
        int aIndex = h.linkIndex(a);
        // the lookup for the first request resolves b too (it looks ahead); b is then deleted and a renamed to b
        h.batch()
                .addrAdd(a, ip("10.83.0.1/24"))
                .linkDel(b)
                .linkSetName(a, b)
                .addrAdd(b, ip("10.83.0.2/24"))
                .execute();
        assertThat(h.link(b).index()).isEqualTo(aIndex);
        assertThat(addrsOf(b)).containsExactly("10.83.0.1/24", "10.83.0.2/24");
    }

    @Test
    void renamesByIndexAndMovesAway() {
        String a = name();
        String b = name();
        String c = name();
        h.batch().linkAdd(LinkSpec.bridge(a)).linkAdd(LinkSpec.veth(b, name())).execute();
        int aIndex = h.linkIndex(a);
        int bIndex = h.linkIndex(b);
        // a and b are looked up; b leaves the namespace; a, by index, takes b's name; c is created and named a
        h.batch()
                .addrAdd(a, ip("10.84.0.1/24"))
                .addrAdd(b, ip("10.84.1.1/24"))
                .linkSetNetns(b, other)
                .linkSetName(aIndex, b)
                .addrAdd(b, ip("10.84.0.2/24"))
                .linkAdd(LinkSpec.bridge(c))
                .linkSetName(c, a)
                .addrAdd(a, ip("10.84.2.1/24"))
                .execute();
        assertThat(h.link(b).index()).isEqualTo(aIndex);
        assertThat(addrsOf(b)).containsExactly("10.84.0.1/24", "10.84.0.2/24");
        assertThat(h.link(a).index()).isNotIn(aIndex, bIndex);
        assertThat(addrsOf(a)).containsExactly("10.84.2.1/24");
    }
}
