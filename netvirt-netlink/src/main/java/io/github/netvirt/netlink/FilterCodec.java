package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.MalformedMessageException;
import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netlink.codec.NlAttrs;
import io.github.netvirt.netlink.codec.NlMessage;
import io.github.netvirt.netlink.codec.NlWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/** RTM_*TFILTER requests and the decoding of filter messages. */
final class FilterCodec {
    private FilterCodec() {}

    static Request add(FilterSpec s) {
        return request(Nl.RTM_NEWTFILTER, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, "RTM_NEWTFILTER add " + s, s, true);
    }

    /**
     * {@code tc -echo filter add}: as {@link #add}, and {@code made} gets the filter the kernel made
     * (its {@code RTM_NEWTFILTER} notification, sent to this socket before the ack).
     */
    static Request addEchoed(FilterSpec s, Consumer<Filter> made) {
        Request r = request(
                Nl.RTM_NEWTFILTER, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL | Nl.NLM_F_ECHO, "RTM_NEWTFILTER add " + s, s, true);
        r.echo = m -> {
            if (m.type() == Nl.RTM_NEWTFILTER) {
                made.accept(Exchange.decodeSafely(FilterCodec::decode, m, r::description));
            }
        };
        return r;
    }

    static Request del(FilterSpec s) {
        return request(Nl.RTM_DELTFILTER, 0, "RTM_DELTFILTER " + s, s, false);
    }

    /**
     * A delete without a priority flushes every filter of the parent, as {@code tc filter del dev D
     * parent P}: the kernel refuses the flush (ENOENT) when it names a protocol or a kind.
     */
    private static boolean flush(int type, FilterSpec s) {
        return type == Nl.RTM_DELTFILTER && s.priority == 0;
    }

    private static Request request(int type, int flags, String desc, FilterSpec s, boolean options) {
        LinkRef[] refs = new LinkRef[1 + (options ? s.actions.size() : 0)];
        refs[0] = s.link;
        for (int i = 1; i < refs.length; i++) {
            refs[i] = s.actions.get(i - 1).target;
        }
        List<FilterSpec.Action> actions = options ? List.copyOf(s.actions) : List.of();
        int parent = s.parent;
        int handle = s.handle;
        boolean flush = flush(type, s);
        int info = info(s.priority, s.protocol);
        LinkRef link = s.link;
        return Request.of(
                type,
                flags,
                () -> desc, // the spec may change after this call: what was asked is described now
                (w, r) -> {
                    if (flush) { // no protocol, no kind
                        w.tcmsg(Nl.AF_UNSPEC, r.index(link), handle, parent, 0);
                        return;
                    }
                    int[] targets = new int[actions.size()];
                    for (int i = 0; i < targets.length; i++) {
                        targets[i] = r.index(actions.get(i).target);
                    }
                    write(w, r.index(link), parent, handle, info, options, actions, targets);
                },
                refs);
    }

    /** {@code tcm_info}: the priority in the upper 16 bits, the protocol in network byte order in the lower. */
    static int info(int priority, int protocol) {
        return priority << 16 | Short.toUnsignedInt(Short.reverseBytes((short) protocol));
    }

    /**
     * tc's layout for {@code u32 match u32 0 0 action mirred ...}: tcmsg, TCA_KIND, TCA_OPTIONS
     * (without NLA_F_NESTED) holding TCA_U32_ACT (one nest per action, numbered from 1: TCA_ACT_KIND,
     * TCA_ACT_OPTIONS with NLA_F_NESTED holding TCA_MIRRED_PARMS, TCA_ACT_COOKIE when it has one) and
     * then TCA_U32_SEL.
     */
    static void write(
            NlWriter w,
            int index,
            int parent,
            int handle,
            int info,
            boolean options,
            List<FilterSpec.Action> actions,
            int[] targets) {
        w.tcmsg(Nl.AF_UNSPEC, index, handle, parent, info);
        w.string(Nl.TCA_KIND, "u32");
        if (!options) {
            return;
        }
        int o = w.beginPlainNest(Nl.TCA_OPTIONS);
        if (!actions.isEmpty()) {
            int act = w.beginPlainNest(Nl.TCA_U32_ACT);
            for (int i = 0; i < actions.size(); i++) {
                int one = w.beginPlainNest(i + 1);
                w.string(Nl.TCA_ACT_KIND, "mirred");
                int ao = w.beginNest(Nl.TCA_ACT_OPTIONS);
                int eaction = actions.get(i).eaction;
                int verdict = eaction == Nl.TCA_EGRESS_MIRROR || eaction == Nl.TCA_INGRESS_MIRROR
                        ? Nl.TC_ACT_PIPE
                        : Nl.TC_ACT_STOLEN;
                // struct tc_mirred: tc_gen (index, capab, action, refcnt, bindcnt), eaction, ifindex
                w.bytes(
                        Nl.TCA_MIRRED_PARMS,
                        ByteBuffer.allocate(28)
                                .order(ByteOrder.nativeOrder())
                                .putInt(0)
                                .putInt(0)
                                .putInt(verdict)
                                .putInt(0)
                                .putInt(0)
                                .putInt(eaction)
                                .putInt(targets[i])
                                .array());
                w.endNest(ao);
                String cookie = actions.get(i).cookie;
                if (!cookie.isEmpty()) {
                    w.bytes(Nl.TCA_ACT_COOKIE, HexFormat.of().parseHex(cookie));
                }
                w.endNest(one);
            }
            w.endNest(act);
        }
        // struct tc_u32_sel (flags TERMINAL, nkeys 1) and one key: mask 0, value 0 at offset 0
        byte[] sel = new byte[32];
        sel[0] = Nl.TC_U32_TERMINAL;
        sel[2] = 1;
        w.bytes(Nl.TCA_U32_SEL, sel);
        w.endNest(o);
    }

    /** {@code tc filter show dev DEV parent PARENT}: the dump request. */
    static void writeDump(NlWriter w, int index, int parent) {
        w.tcmsg(Nl.AF_UNSPEC, index, 0, parent, 0);
    }

    /** The hex of an action's {@code TCA_ACT_COOKIE}, {@code ""} when it has none. */
    private static String cookie(NlAttrs action) {
        if (!action.has(Nl.TCA_ACT_COOKIE)) {
            return "";
        }
        byte[] c = action.bytes(Nl.TCA_ACT_COOKIE);
        if (c.length == 0 || c.length > Nl.TC_COOKIE_MAX_SIZE) {
            throw new MalformedMessageException("an action cookie of " + c.length + " bytes");
        }
        return HexFormat.of().formatHex(c);
    }

    static Filter decode(NlMessage m) {
        Tcmsg t = Tcmsg.decode(m);
        ByteBuffer b = m.buffer();
        int info = t.info();
        int protocol = Short.toUnsignedInt(Short.reverseBytes((short) info));
        NlAttrs a = t.attrs();
        String kind = t.kind();
        List<Filter.Mirred> mirred = new ArrayList<>();
        List<String> others = new ArrayList<>();
        if ("u32".equals(kind) && a.has(Nl.TCA_OPTIONS)) {
            NlAttrs o = a.nested(Nl.TCA_OPTIONS);
            if (o.has(Nl.TCA_U32_ACT)) {
                NlAttrs acts = o.nested(Nl.TCA_U32_ACT);
                for (int i = 1; i <= 32; i++) {
                    if (!acts.has(i)) {
                        continue;
                    }
                    NlAttrs one = acts.nested(i);
                    String actionKind = one.string(Nl.TCA_ACT_KIND, "");
                    NlAttrs opts = one.has(Nl.TCA_ACT_OPTIONS) ? one.nested(Nl.TCA_ACT_OPTIONS) : null;
                    if ("mirred".equals(actionKind) && opts != null && opts.has(Nl.TCA_MIRRED_PARMS)) {
                        int q = opts.payloadOffset(Nl.TCA_MIRRED_PARMS, 28);
                        mirred.add(new Filter.Mirred(b.getInt(q + 20), b.getInt(q + 24), cookie(one)));
                    } else {
                        others.add(actionKind);
                    }
                }
            }
        }
        return new Filter(t.index(), t.parent(), t.handle(), info >>> 16, protocol, kind, mirred, others);
    }
}
