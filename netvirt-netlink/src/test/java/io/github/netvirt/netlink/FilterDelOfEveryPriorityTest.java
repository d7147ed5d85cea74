package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.Test;

/**
 * {@code filterDel} of a spec without a priority removes every filter of the parent, as {@code tc
 * filter del dev D parent P} does (the kernel refuses such a flush when it names a protocol or kind).
 */
@RequiresRoot
class FilterDelOfEveryPriorityTest extends OneNamespace {
    @Test
    void aDeleteWithoutAPriorityRemovesEveryFilterOfTheParent() {
        String p0 = TestNames.unique("fd");
        String p1 = TestNames.unique("fd");
        h.linkAdd(LinkSpec.veth(p0, p1).bothUp());
        h.qdiscAdd(QdiscSpec.ingress(p0));
        h.filterAdd(FilterSpec.u32MatchAll(p0).priority(7).mirredEgressMirror(p1));
        h.filterAdd(FilterSpec.u32MatchAll(p0).priority(8).protocol(0x0800).mirredEgressMirror(p1));
        assertThat(h.filterList(p0, TcHandle.INGRESS_QDISC)).isNotEmpty();

        h.filterDel(FilterSpec.u32MatchAll(p0));

        assertThat(h.filterList(p0, TcHandle.INGRESS_QDISC)).isEmpty();
    }
}
