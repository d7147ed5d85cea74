package io.github.netvirt.faults;

import io.github.netvirt.faults.rtnl.NlRequest;
import io.github.netvirt.faults.rtnl.QdiscOptions;
import io.github.netvirt.faults.rtnl.Rtnl;
import io.github.netvirt.faults.rtnl.RtnlException;
import io.github.netvirt.netns.NetNamespace;
import java.time.Duration;

/**
 * An egress rate limit on one device: a token-bucket ({@code tbf}) root qdisc, installed over
 * rtnetlink as {@code tc qdisc replace dev DEVICE root tbf rate R burst B latency L} would.
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
        if (latency == null || latency.isNegative() || latency.isZero() || latency.toSeconds() > 60) {
            throw new IllegalArgumentException("latency must be in (0, 60 s], got " + latency);
        }
    }

    /** {@code bitsPerSecond} with a burst of 10 ms of traffic (at least 16 KiB) and 50 ms of queue. */
    public static RateLimit of(long bitsPerSecond) {
        long burst = Math.max(16 * 1024, bitsPerSecond / 8 / 100);
        return new RateLimit(bitsPerSecond, (int) Math.min(burst, 64L << 20), Duration.ofMillis(50));
    }

    /** Queue limit in bytes, as tc computes it: rate x latency + burst. */
    public int limitBytes() {
        long bytesPerSecond = bitsPerSecond / 8;
        long limit = bytesPerSecond * latency.toNanos() / 1_000_000_000L + burstBytes;
        return (int) Math.min(limit, Integer.MAX_VALUE);
    }

    /** Installs (or replaces) this limit as the root qdisc of {@code device} in {@code ns}. */
    public void apply(NetNamespace ns, String device) {
        try (Rtnl rtnl = Rtnl.open(ns)) {
            int index = rtnl.linkIndex(device);
            rtnl.qdisc(Rtnl.RTM_NEWQDISC, NlRequest.NLM_F_CREATE | NlRequest.NLM_F_REPLACE, index, Rtnl.TC_H_ROOT,
                    "tbf", r -> QdiscOptions.tbf(r, bitsPerSecond / 8, burstBytes, limitBytes()),
                    "qdisc replace dev " + device + " root tbf rate " + bitsPerSecond + "bit");
        }
    }

    /** Removes the root qdisc of {@code device} ({@code tc qdisc del dev DEVICE root}); no-op if there is none. */
    public static void clear(NetNamespace ns, String device) {
        try (Rtnl rtnl = Rtnl.open(ns)) {
            int index = rtnl.linkIndex(device);
            try {
                rtnl.qdisc(Rtnl.RTM_DELQDISC, 0, index, Rtnl.TC_H_ROOT, null, null,
                        "qdisc del dev " + device + " root");
            } catch (RtnlException e) {
                if (e.errno() != 2 /* ENOENT: only the default qdisc */) {
                    throw e;
                }
            }
        }
    }
}
