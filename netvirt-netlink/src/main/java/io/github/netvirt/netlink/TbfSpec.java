package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netlink.codec.NlWriter;
import io.github.netvirt.netns.internal.Require;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;

/**
 * A token-bucket filter: {@code tc qdisc add dev DEV root tbf rate RATE burst BURST latency LATENCY}
 * (or {@code limit LIMIT} instead of the latency). Rate, burst and one of latency or limit are required.
 */
public final class TbfSpec extends QdiscSpec<TbfSpec> {
    /** psched ticks are 64 ns ({@code PSCHED_SHIFT} 6). */
    static final long NS_PER_TICK = 64;
    /** The queue of a rate asked for alone ({@link #rateWithDefaults}): 50 ms. */
    public static final Duration DEFAULT_LATENCY = Duration.ofMillis(50);
    /** The kernel keeps the limit in a u32. */
    static final long MAX_LIMIT = 0xffffffffL;

    private long rateBytes;
    private int burst;
    private long limit = -1;
    private Duration latency;

    TbfSpec(LinkRef link) {
        super(link, "tbf");
    }

    /** {@code rate}: in bits per second, as {@code tc} takes it (at least 8). */
    public TbfSpec rate(long bitsPerSecond) {
        if (bitsPerSecond < 8) {
            throw new IllegalArgumentException("tbf rate must be at least 8 bit/s: " + bitsPerSecond);
        }
        this.rateBytes = bitsPerSecond / 8;
        return this;
    }

    /**
     * {@code rate} with the bucket and queue netvirt gives a rate asked for alone: a burst of
     * {@link #defaultBurst(long)} and {@link #DEFAULT_LATENCY} of queue.
     *
     * @throws IllegalArgumentException if {@code bitsPerSecond} is below 8
     */
    public TbfSpec rateWithDefaults(long bitsPerSecond) {
        return rate(bitsPerSecond).burst(defaultBurst(bitsPerSecond)).latency(DEFAULT_LATENCY);
    }

    /**
     * The bucket for a rate asked for alone: 10 ms of traffic, at least 16 KiB (so full-size frames
     * pass at low rates), at most 64 MiB.
     */
    public static int defaultBurst(long bitsPerSecond) {
        return (int) Math.min(64L << 20, Math.max(16 * 1024, bitsPerSecond / 8 / 100));
    }

    /** {@code burst}: the bucket size in bytes. */
    public TbfSpec burst(int bytes) {
        this.burst = Require.positive(bytes, "tbf burst");
        return this;
    }

    /** {@code limit}: bytes that may wait in the queue, up to 4294967295 (the kernel's u32). */
    public TbfSpec limit(long bytes) {
        if (bytes <= 0 || bytes > MAX_LIMIT) {
            throw new IllegalArgumentException("tbf limit must be in 1 .. " + MAX_LIMIT + ": " + bytes);
        }
        this.limit = bytes;
        this.latency = null;
        return this;
    }

    /** {@code latency}: how long a packet may wait; the limit becomes rate x latency + burst, as tc computes it. */
    public TbfSpec latency(Duration latency) {
        if (latency == null || latency.isNegative() || latency.isZero() || latency.toSeconds() > 3600) {
            throw new IllegalArgumentException("tbf latency must be in (0, 1 h]: " + latency);
        }
        this.latency = latency;
        this.limit = -1;
        return this;
    }

    /** The rate in bytes per second, 0 when unset. */
    public long rateBytesPerSecond() {
        return rateBytes;
    }

    /** The bucket size in bytes, 0 when unset. */
    public int burstBytes() {
        return burst;
    }

    /**
     * The queue limit in bytes that will be sent (from the latency when that was given), -1 when unset.
     * A latency whose limit passes the kernel's u32 gets 4294967295, the longest queue the kernel holds
     * (tc 6.1 sends such a limit wrapped: {@code rate 10tbit latency 50ms} became a queue of 1.9 ms).
     */
    public long limitBytes() {
        if (limit >= 0 || latency == null || rateBytes == 0) {
            return limit;
        }
        long l = (long) ((double) rateBytes * latency.toNanos() / 1e9) + burst;
        return Math.min(l, MAX_LIMIT);
    }

    @Override
    void checkComplete() {
        if (rateBytes == 0 || burst == 0 || limit < 0 && latency == null) {
            throw new IllegalArgumentException("tbf on " + link + " needs rate, burst and latency or limit");
        }
    }

    /**
     * tc's layout: {@code TCA_TBF_PARMS}, {@code TCA_TBF_BURST}, {@code TCA_TBF_RATE64} above 4 GB/s.
     * tc also sends a rate table; with the link layer set to Ethernet the kernel computes the rate
     * itself and ignores it, so it is left out.
     */
    @Override
    void writeOptions(NlWriter w) {
        checkComplete();
        long bufferTicks = Math.min(0xffffffffL, burst * 1_000_000_000L / rateBytes / NS_PER_TICK);
        byte[] parms = ByteBuffer.allocate(36)
                .order(ByteOrder.nativeOrder())
                .put((byte) 3)
                .put((byte) Nl.TC_LINKLAYER_ETHERNET)
                .putShort((short) 0) // cell_log, linklayer, overhead
                .putShort((short) -1)
                .putShort((short) 0) // cell_align, mpu
                .putInt((int) Math.min(rateBytes, 0xffffffffL))
                .put(new byte[12]) // no peak rate
                .putInt((int) limitBytes())
                .putInt((int) bufferTicks)
                .putInt(0)
                .array();
        int o = w.beginPlainNest(Nl.TCA_OPTIONS);
        w.bytes(Nl.TCA_TBF_PARMS, parms);
        w.u32(Nl.TCA_TBF_BURST, burst);
        if (rateBytes >= 1L << 32) {
            w.u64(Nl.TCA_TBF_RATE64, rateBytes);
        }
        w.endNest(o);
    }

    @Override
    public String toString() {
        return super.toString() + " rate " + rateBytes * 8 + "bit burst " + burst + "b"
                + (latency != null ? " latency " + latency.toMillis() + "ms" : " limit " + limit + "b");
    }
}
