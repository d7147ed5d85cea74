package io.github.netvirt.faults;

import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netlink.QdiscSpec;
import io.github.netvirt.netlink.TbfSpec;
import io.github.netvirt.netns.NetNamespace;
import java.time.Duration;
import java.util.Objects;

/**
 * An egress rate limit on one device: a token-bucket ({@code tbf}) root qdisc, installed through
 * netvirt-netlink's {@link NetlinkHandle#qdiscAdd} as {@code tc qdisc add dev DEVICE root tbf
 * rate R burst B latency L} would (the queue limit is rate x latency + burst, as tc computes it, at most
 * the kernel's 4294967295 bytes, which tc would wrap), by
 * {@link #on}.
 * To limit both directions of a veth, limit each end.
 *
 * @param bitsPerSecond the rate, at least 8 bit/s
 * @param burstBytes    the bucket, at least 1600 bytes so a full-size frame fits
 * @param latency       how long a packet may wait in the queue before it is dropped
 */
public record RateLimit(long bitsPerSecond, int burstBytes, Duration latency) {
    public RateLimit {
        if (bitsPerSecond < 8) {
            throw new IllegalArgumentException("rate must be at least 8 bit/s, got " + bitsPerSecond);
        }
        if (burstBytes < 1600) {
            throw new IllegalArgumentException("burst must be at least 1600 bytes (one full frame), got " + burstBytes);
        }
        if (Objects.requireNonNull(latency, "latency").isNegative() || latency.isZero() || latency.toSeconds() > 60) {
            throw new IllegalArgumentException("latency must be in (0, 60 s], got " + latency);
        }
    }

    /**
     * {@code bitsPerSecond} with the bucket and queue of a rate asked for alone: a burst of
     * {@link TbfSpec#defaultBurst(long)} (10 ms of traffic, 16 KiB to 64 MiB) and
     * {@link TbfSpec#DEFAULT_LATENCY} (50 ms) of queue, as netvirt-core's link conditions.
     */
    public static RateLimit of(long bitsPerSecond) {
        return new RateLimit(bitsPerSecond, TbfSpec.defaultBurst(bitsPerSecond), TbfSpec.DEFAULT_LATENCY);
    }

    /**
     * Puts this limit on {@code device} in {@code ns} as its root qdisc until the returned fault is
     * healed, which removes it if it is still there: by the handle the kernel gave it, so a root
     * qdisc someone put in its place since stays.
     *
     * @throws NullPointerException if {@code ns} or {@code device} is null, naming it
     * @throws NetlinkException ENODEV when there is no such device, EEXIST when it has a root qdisc
     *         already (another limit, a link condition) or a {@code clsact} qdisc (a link condition in
     *         relay mode, whose egress redirect runs before the root qdisc): nothing is changed; or the
     *         kernel's refusal. For a rate with a delay or loss, give the rate in the link condition
     *         ({@code LinkCondition.withRate}) instead
     * @throws IllegalStateException if {@code ns} is closed
     */
    public Fault on(NetNamespace ns, String device) {
        Objects.requireNonNull(ns, "ns");
        Objects.requireNonNull(device, "device");
        return RootQdisc.add(
                "RateLimit",
                ns,
                device,
                index -> QdiscSpec.tbf(index)
                        .rate(bitsPerSecond)
                        .burst(burstBytes)
                        .latency(latency));
    }
}
