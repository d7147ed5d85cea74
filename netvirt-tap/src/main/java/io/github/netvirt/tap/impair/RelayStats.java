package io.github.netvirt.tap.impair;

/**
 * Counters of one direction of an {@link TapRelay}. {@code received} counts every frame read;
 * {@code unimpaired} the non-IP frames (ARP...) passed through untouched; {@code overflow} frames
 * dropped because too many were in flight; {@code writeErrors} frames the far TAP refused.
 * {@code reordered} counts the frames held back: the verdicts that say reordered, less those whose
 * frame was lost to {@code overflow}.
 */
public record RelayStats(
        long received,
        long unimpaired,
        long dropped,
        long duplicated,
        long reordered,
        long delivered,
        long overflow,
        long writeErrors) {}
