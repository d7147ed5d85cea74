package io.github.netvirt.tap.impair;

/**
 * What the relay decided for the {@code frame}-th impaired frame of one direction (counting from
 * 0). A dropped frame is neither duplicated nor reordered. {@code reordered} means the frame was held
 * back and sent after the next frame not lost (or after the hold timed out); the frame that lets a
 * held one go is not reordered itself.
 */
public record Verdict(long frame, boolean dropped, boolean duplicated, boolean reordered, long delayNanos) {}
