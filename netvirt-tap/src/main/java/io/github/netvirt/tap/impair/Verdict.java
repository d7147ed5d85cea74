package io.github.netvirt.tap.impair;

/**
 * What the relay decided for the {@code frame}-th impaired frame of one direction (counting from
 * 0). A dropped frame is neither duplicated nor reordered.
 */
public record Verdict(long frame, boolean dropped, boolean duplicated, boolean reordered, long delayNanos) {}
