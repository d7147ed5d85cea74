package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netlink.codec.Nl;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which entries of a u32 filter dump the kernel lists as part of one filter (no kernel needed). */
class FilterPartTest {
    private static final int ALL = 3;
    private static final Filter.Mirred TO_7 = new Filter.Mirred(Nl.TCA_EGRESS_MIRROR, 7);
    private static final Filter OURS = new Filter(4, TcHandle.INGRESS_QDISC, 0x80000800, 1, ALL, "u32", List.of(TO_7));

    @Test
    void theFilterItsClassifierAndItsHashTableArePartOfIt() {
        assertThat(OURS.isPartOf(OURS)).isTrue();
        assertThat(new Filter(4, TcHandle.INGRESS_QDISC, 0, 1, ALL, "u32", List.of()).isPartOf(OURS))
                .isTrue();
        assertThat(new Filter(4, TcHandle.INGRESS_QDISC, 0x80000000, 1, ALL, "u32", List.of()).isPartOf(OURS))
                .isTrue();
    }

    @Test
    void anotherNodeAnotherPriorityOrAnotherActionIsNot() {
        assertThat(new Filter(4, TcHandle.INGRESS_QDISC, 0x80000801, 1, ALL, "u32", List.of(TO_7)).isPartOf(OURS))
                .isFalse();
        assertThat(new Filter(4, TcHandle.INGRESS_QDISC, 0, 2, ALL, "u32", List.of()).isPartOf(OURS))
                .isFalse();
        assertThat(new Filter(
                                4,
                                TcHandle.INGRESS_QDISC,
                                0x80000800,
                                1,
                                ALL,
                                "u32",
                                List.of(new Filter.Mirred(Nl.TCA_EGRESS_MIRROR, 8)))
                        .isPartOf(OURS))
                .isFalse();
        assertThat(new Filter(4, TcHandle.INGRESS_QDISC, 0x80100000, 1, ALL, "u32", List.of()).isPartOf(OURS))
                .isFalse();
    }

    private static final String MARK = "00112233445566778899aabbccddeeff";
    private static final Filter MARKED = new Filter(
            4,
            TcHandle.INGRESS_QDISC,
            0x80000800,
            1,
            ALL,
            "u32",
            List.of(new Filter.Mirred(Nl.TCA_EGRESS_MIRROR, 7, MARK)));

    /** The kernel reports ifindex 0 for the target of a mirred action once that device is deleted. */
    @Test
    void aMarkedFilterWhoseTargetWentIsStillOurs() {
        Filter unbound = new Filter(
                4,
                TcHandle.INGRESS_QDISC,
                0x80000800,
                1,
                ALL,
                "u32",
                List.of(new Filter.Mirred(Nl.TCA_EGRESS_MIRROR, 0, MARK)));
        assertThat(unbound.isSame(MARKED)).isTrue();
        assertThat(unbound.isPartOf(MARKED)).isTrue();
        assertThat(MARKED.isSame(MARKED)).isTrue();
    }

    @Test
    void anotherCookieAnotherActionOrNoCookieIsNotOurs() {
        assertThat(new Filter(
                                4,
                                TcHandle.INGRESS_QDISC,
                                0x80000800,
                                1,
                                ALL,
                                "u32",
                                List.of(new Filter.Mirred(Nl.TCA_EGRESS_MIRROR, 7, "00112233445566778899aabbccddeefe")))
                        .isSame(MARKED))
                .isFalse();
        assertThat(new Filter(
                                4,
                                TcHandle.INGRESS_QDISC,
                                0x80000800,
                                1,
                                ALL,
                                "u32",
                                List.of(new Filter.Mirred(Nl.TCA_EGRESS_REDIR, 7, MARK)))
                        .isSame(MARKED))
                .isFalse();
        assertThat(new Filter(4, TcHandle.INGRESS_QDISC, 0x80000800, 1, ALL, "u32", List.of(TO_7)).isSame(MARKED))
                .isFalse();
        assertThat(new Filter(4, TcHandle.INGRESS_QDISC, 0x80000801, 1, ALL, "u32", MARKED.mirred()).isSame(MARKED))
                .isFalse();
        assertThat(new Filter(5, TcHandle.INGRESS_QDISC, 0x80000800, 1, ALL, "u32", MARKED.mirred()).isSame(MARKED))
                .isFalse();
    }

    /** Without a cookie the target is all that tells two like filters apart: it must be the same. */
    @Test
    void anUnmarkedFilterIsOursOnlyWithItsTarget() {
        assertThat(OURS.isSame(OURS)).isTrue();
        assertThat(new Filter(
                                4,
                                TcHandle.INGRESS_QDISC,
                                0x80000800,
                                1,
                                ALL,
                                "u32",
                                List.of(new Filter.Mirred(Nl.TCA_EGRESS_MIRROR, 0)))
                        .isSame(OURS))
                .isFalse();
    }
}
