package io.github.netvirt.tap.impair;

/**
 * Counters of one direction of an {@link TapRelay}. {@code received} counts every frame read;
 * {@code unimpaired} the non-IP frames (ARP...) passed through untouched; {@code overflow} frames
 * dropped because too many were in flight; {@code writeErrors} frames the far TAP refused.
 * {@code reordered} counts the frames held back: the verdicts that say reordered, less those whose
 * frame was lost to {@code overflow}; {@code holdTimeouts} those of them that went alone, no IP frame
 * having come for the hold's time (500 ms) after them: where a replay can differ.
 */
public record RelayStats(
        long received,
        long unimpaired,
        long dropped,
        long duplicated,
        long reordered,
        long holdTimeouts,
        long delivered,
        long overflow,
        long writeErrors) {}
