package io.github.netvirt.netns.internal;

/** The bounds checks of netvirt's builders: each returns the value it let through, for an assignment. */
public final class Require {
    private Require() {}

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
