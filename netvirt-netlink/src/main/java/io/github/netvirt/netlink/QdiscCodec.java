package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netlink.codec.NlAttrs;
import io.github.netvirt.netlink.codec.NlMessage;
import io.github.netvirt.netlink.codec.NlWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** RTM_*QDISC requests and the decoding of qdisc messages. */
final class QdiscCodec {
    private QdiscCodec() {}

    static Request add(QdiscSpec<?> s) {
        s.checkComplete();
        return request(Nl.RTM_NEWQDISC, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, () -> "RTM_NEWQDISC add " + s, s, true);
    }

    /**
     * {@code tc -echo qdisc add}: as {@link #add}, and {@code made} gets the qdisc the kernel made
     * (its {@code RTM_NEWQDISC} notification, sent to this socket before the ack).
     */
    static Request addEchoed(QdiscSpec<?> s, Consumer<Qdisc> made) {
        s.checkComplete();
        Request r = request(
                Nl.RTM_NEWQDISC,
                Nl.NLM_F_CREATE | Nl.NLM_F_EXCL | Nl.NLM_F_ECHO,
                () -> "RTM_NEWQDISC add " + s,
                s,
                true);
        r.echo = m -> {
            if (m.type() == Nl.RTM_NEWQDISC) {
                made.accept(Exchange.decodeSafely(QdiscCodec::decode, m, r::description));
            }
        };
        return r;
    }

    static Request replace(QdiscSpec<?> s) {
        s.checkComplete();
        return request(Nl.RTM_NEWQDISC, Nl.NLM_F_CREATE | Nl.NLM_F_REPLACE, () -> "RTM_NEWQDISC replace " + s, s, true);
    }

    /** {@code tc qdisc del}: the kind is sent when the spec has one, options never. */
    static Request del(QdiscSpec<?> s) {
        return request(Nl.RTM_DELQDISC, 0, () -> "RTM_DELQDISC " + s, s, false);
    }

    private static Request request(int type, int flags, Supplier<String> desc, QdiscSpec<?> s, boolean options) {
        return Request.of(type, flags, desc, (w, r) -> write(w, s, r.index(s.link), options), s.link);
    }

    /** tc's layout: tcmsg (handle, parent), TCA_KIND, TCA_OPTIONS, TCA_STAB. */
    static void write(NlWriter w, QdiscSpec<?> s, int index, boolean options) {
        w.tcmsg(Nl.AF_UNSPEC, index, s.handle, s.parent, 0);
        String kind = s.kind();
        if (kind != null) {
            w.string(Nl.TCA_KIND, kind);
        }
        if (options) {
            s.writeOptions(w);
            if (s.stab != null) {
                byte[] spec = ByteBuffer.allocate(24)
                        .order(ByteOrder.nativeOrder())
                        .put((byte) 0)
                        .put((byte) 0)
                        .putShort((short) 0) // cell_log, size_log, cell_align
                        .putInt(s.stab.overhead())
                        .putInt(Nl.TC_LINKLAYER_ETHERNET)
                        .putInt(s.stab.mpu())
                        .putInt(s.stab.mtu())
                        .putInt(0) // tsize: no slots, no TCA_STAB_DATA
                        .array();
                int n = w.beginPlainNest(Nl.TCA_STAB);
                w.bytes(Nl.TCA_STAB_BASE, spec);
                w.endNest(n);
            }
        }
    }

    static void writeDump(NlWriter w) {
        w.tcmsg(Nl.AF_UNSPEC, 0, 0, 0, 0);
    }

    static Qdisc decode(NlMessage m) {
        Tcmsg t = Tcmsg.decode(m);
        ByteBuffer b = m.buffer();
        NlAttrs a = t.attrs();
        String kind = t.kind();
        Qdisc.Tbf tbf = null;
        if ("tbf".equals(kind) && a.has(Nl.TCA_OPTIONS)) {
            NlAttrs o = a.nested(Nl.TCA_OPTIONS);
            if (o.has(Nl.TCA_TBF_PARMS)) {
                int q = o.payloadOffset(Nl.TCA_TBF_PARMS, 36);
                long rate = Integer.toUnsignedLong(b.getInt(q + 8));
                long limit = Integer.toUnsignedLong(b.getInt(q + 24));
                long bufferTicks = Integer.toUnsignedLong(b.getInt(q + 28));
                if (o.has(Nl.TCA_TBF_RATE64)) {
                    rate = o.u64(Nl.TCA_TBF_RATE64);
                }
                // the kernel keeps the bucket as a time (ticks of 64 ns); tc shows it as bytes at the rate,
                // the time cut to whole microseconds first (tc_calc_xmitsize)
                long micros = (long) (bufferTicks * TbfSpec.NS_PER_TICK / 1000.0);
                long burst = (long) ((double) rate * micros / 1e6);
                tbf = new Qdisc.Tbf(rate, burst, limit);
            }
        }
        Qdisc.SizeTable stab = null;
        if (a.has(Nl.TCA_STAB)) {
            NlAttrs st = a.nested(Nl.TCA_STAB);
            if (st.has(Nl.TCA_STAB_BASE)) {
                int q = st.payloadOffset(Nl.TCA_STAB_BASE, 24);
                stab = new Qdisc.SizeTable(b.getInt(q + 4), b.getInt(q + 12), b.getInt(q + 16));
            }
        }
        return new Qdisc(t.index(), t.handle(), t.parent(), kind, tbf, stab);
    }
}
