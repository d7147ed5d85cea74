package io.github.netvirt.netlink;

/**
 * A queueing discipline as the kernel reports it ({@code RTM_NEWQDISC}), as {@code tc qdisc show}
 * lists it: an immutable snapshot.
 *
 * @param index ifindex of the device
 * @param handle {@code major:0} ({@link TcHandle}), 0 for the kernel's default qdiscs
 * @param parent {@link TcHandle#ROOT}, {@link TcHandle#INGRESS} or the parent class
 * @param kind {@code TCA_KIND}: "tbf", "ingress", "noqueue", "fq_codel"...
 * @param tbf for a tbf qdisc its rate, burst and limit, null for other kinds
 * @param stab its size table ({@code tc qdisc add dev DEV stab ...}), null when it has none
 */
public record Qdisc(int index, int handle, int parent, String kind, Tbf tbf, SizeTable stab) {

    /** A qdisc without a size table. */
    public Qdisc(int index, int handle, int parent, String kind, Tbf tbf) {
        this(index, handle, parent, kind, tbf, null);
    }

    /**
     * A size table without slots ({@code struct tc_sizespec}, {@code tsize 0}, link layer Ethernet;
     * {@code tc qdisc add dev DEV stab overhead O mpu M mtu T KIND} sends these numbers with 512 slots).
     * The kernel keeps it with the
     * qdisc and reports it in every dump; on an {@code ingress} or {@code clsact} qdisc it changes
     * nothing (the ingress hook takes a packet's length as it is, and they enqueue nothing), so its
     * numbers are free to carry a mark of the qdisc's maker, which the kernel otherwise keeps none of.
     *
     * @param overhead bytes added to each packet's length
     * @param mpu the least length a packet counts for
     * @param mtu the table's MTU (no slots: used by nothing)
     */
    public record SizeTable(int overhead, int mpu, int mtu) {

        /**
         * The size table that marks an ingress qdisc as the one made with the filter action cookie
         * {@code cookie} (hex, at least 16 digits, as {@link FilterSpec#newCookie} makes it): its first
         * eight bytes, in {@code mpu} and {@code mtu}.
         */
        public static SizeTable marking(String cookie) {
            if (cookie.length() < 16) {
                throw new IllegalArgumentException("a cookie of less than 8 bytes: " + cookie);
            }
            return new SizeTable(
                    0,
                    Integer.parseUnsignedInt(cookie.substring(0, 8), 16),
                    Integer.parseUnsignedInt(cookie.substring(8, 16), 16));
        }

        /** As tc's words: {@code stab overhead O mpu M mtu T}. */
        @Override
        public String toString() {
            return "stab overhead " + overhead + " mpu " + Integer.toUnsignedString(mpu) + " mtu "
                    + Integer.toUnsignedString(mtu);
        }
    }

    /**
     * A tbf's parameters, as the kernel reports them.
     *
     * @param rateBytesPerSecond the rate in bytes per second ({@code tc -j} prints this number as "rate")
     * @param burstBytes the bucket, computed from the kernel's buffer time and the rate as tc does (the
     *     time in whole microseconds: at high rates less than the burst that was asked, 0 from some
     *     100 Gbit/s)
     * @param limitBytes the queue limit (an unsigned 32-bit number in the kernel)
     */
    public record Tbf(long rateBytesPerSecond, long burstBytes, long limitBytes) {}

    public boolean isRoot() {
        return parent == TcHandle.ROOT;
    }

    public boolean isIngress() {
        return parent == TcHandle.INGRESS;
    }

    @Override
    public String toString() {
        return "qdisc " + kind + " " + TcHandle.format(handle) + " dev #" + index + " " + TcHandle.format(parent)
                + (tbf == null
                        ? ""
                        : " rate " + tbf.rateBytesPerSecond * 8 + "bit burst " + tbf.burstBytes + "b limit "
                                + tbf.limitBytes + "b")
                + (stab == null ? "" : " " + stab);
    }
}
