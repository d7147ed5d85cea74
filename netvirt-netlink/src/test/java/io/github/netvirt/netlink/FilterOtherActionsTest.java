package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netlink.codec.NlReader;
import io.github.netvirt.netlink.codec.NlWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A filter dumped with an action of another kind after a mirror's marked mirred action (someone's
 * {@code tc filter add ... action mirred egress mirror dev X cookie C action drop}) is not the
 * mirror: a record naming the cookie proves only a filter whose actions are the mirror's (no kernel
 * needed; this kernel has no gact or police module to make one).
 */
class FilterOtherActionsTest {
    private static final String MARK = "00112233445566778899aabbccddeeff";
    private static final int TCA_GACT_PARMS = 2;

    private static final Filter OURS = new Filter(
            4,
            TcHandle.INGRESS_QDISC,
            0x80000800,
            1,
            Nl.ETH_P_ALL,
            "u32",
            List.of(new Filter.Mirred(Nl.TCA_EGRESS_MIRROR, 7, MARK)));

    @Test
    void aMarkedMirrorFollowedByADropIsNotTheMirror() {
        Filter dumped = FilterCodec.decode(NlReader.parseAll(dump(true)).get(0));

        assertThat(dumped.mirred()).isEqualTo(OURS.mirred());
        assertThat(dumped.isSame(OURS)).isFalse();
        assertThat(dumped.isPartOf(OURS)).isFalse();
    }

    @Test
    void theMarkedMirrorAloneIsTheMirror() {
        Filter dumped = FilterCodec.decode(NlReader.parseAll(dump(false)).get(0));

        assertThat(dumped.isSame(OURS)).isTrue();
    }

    /** The dump entry of the u32 node 800::800 on ifindex 4's ingress, pref 1: the mirror, then a drop if {@code drop}. */
    private static byte[] dump(boolean drop) {
        NlWriter w = new NlWriter(512);
        int m = w.begin(Nl.RTM_NEWTFILTER, 0, 1, 0);
        w.tcmsg(Nl.AF_UNSPEC, 4, 0x80000800, TcHandle.INGRESS_QDISC, FilterCodec.info(1, Nl.ETH_P_ALL));
        w.string(Nl.TCA_KIND, "u32");
        int o = w.beginPlainNest(Nl.TCA_OPTIONS);
        int act = w.beginPlainNest(Nl.TCA_U32_ACT);
        int mirror = w.beginPlainNest(1);
        w.string(Nl.TCA_ACT_KIND, "mirred");
        int mo = w.beginNest(Nl.TCA_ACT_OPTIONS);
        // struct tc_mirred: tc_gen (index, capab, action, refcnt, bindcnt), eaction, ifindex
        w.bytes(Nl.TCA_MIRRED_PARMS, ints(1, 0, Nl.TC_ACT_PIPE, 1, 1, Nl.TCA_EGRESS_MIRROR, 7));
        w.endNest(mo);
        w.bytes(Nl.TCA_ACT_COOKIE, HexFormat.of().parseHex(MARK));
        w.endNest(mirror);
        if (drop) {
            int gact = w.beginPlainNest(2);
            w.string(Nl.TCA_ACT_KIND, "gact");
            int go = w.beginNest(Nl.TCA_ACT_OPTIONS);
            w.bytes(TCA_GACT_PARMS, ints(1, 0, 2 /* TC_ACT_SHOT */, 1, 1)); // struct tc_gact: tc_gen
            w.endNest(go);
            w.endNest(gact);
        }
        w.endNest(act);
        w.endNest(o);
        w.end(m);
        return w.toByteArray();
    }

    private static byte[] ints(int... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.nativeOrder());
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }
}
