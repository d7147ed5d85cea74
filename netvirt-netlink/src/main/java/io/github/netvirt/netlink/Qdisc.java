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
 */
public record Qdisc(int index, int handle, int parent, String kind, Tbf tbf) {

    /**
     * A tbf's parameters, as the kernel reports them.
     *
     * @param rateBytesPerSecond the rate in bytes per second ({@code tc -j} prints this number as "rate")
     * @param burstBytes the bucket, computed from the kernel's buffer time and the rate as tc does
     * @param limitBytes the queue limit
     */
    public record Tbf(long rateBytesPerSecond, long burstBytes, int limitBytes) {}

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
                                + tbf.limitBytes + "b");
    }
}
