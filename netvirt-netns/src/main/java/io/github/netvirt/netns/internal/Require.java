package io.github.netvirt.netns.internal;

import java.time.Duration;
import java.util.Objects;

/** The bounds checks of netvirt's builders: each returns the value it let through, for an assignment. */
public final class Require {
    /** About 73 years: room left for {@code System.nanoTime() + wait} and the differences taken of it. */
    private static final long MAX_WAIT_NANOS = Long.MAX_VALUE / 4;

    private Require() {}

    /**
     * {@code timeout} in nanoseconds for a wait ({@code deadline = System.nanoTime() + result}); one
     * longer than about 73 years waits that long, as the JDK's timed waits saturate, where
     * {@code Duration.toNanos()} overflows past 292 years.
     *
     * @throws NullPointerException if {@code timeout} is null, with {@code what}
     */
    public static long waitNanos(Duration timeout, String what) {
        Objects.requireNonNull(timeout, what);
        if (timeout.compareTo(Duration.ofNanos(MAX_WAIT_NANOS)) > 0) {
            return MAX_WAIT_NANOS;
        }
        if (timeout.compareTo(Duration.ofNanos(-MAX_WAIT_NANOS)) < 0) {
            return -MAX_WAIT_NANOS;
        }
        return timeout.toNanos();
    }

    /**
     * @throws IllegalArgumentException unless {@code min <= value <= max}, with
     *     {@code "WHAT out of MIN..MAX: VALUE"}
     */
    public static int inRange(int value, int min, int max, String what) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " out of " + min + ".." + max + ": " + value);
        }
        return value;
    }

    /** @throws IllegalArgumentException unless {@code value > 0}, with {@code "WHAT must be positive: VALUE"} */
    public static int positive(int value, String what) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive: " + value);
        }
        return value;
    }

    /** @throws IllegalArgumentException unless {@code value >= 0}, with {@code "WHAT must be >= 0: VALUE"} */
    public static int nonNegative(int value, String what) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " must be >= 0: " + value);
        }
        return value;
    }
}
