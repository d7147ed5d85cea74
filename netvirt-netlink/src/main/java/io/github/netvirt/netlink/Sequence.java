package io.github.netvirt.netlink;

/**
 * The sequence numbers of one socket's requests: 32-bit, never 0, and consecutive within a run of
 * messages sent together, so that the k-th message of a run is always {@code first + k} and an ack
 * is matched by subtraction, across the signed and the unsigned wrap alike. Not thread-safe.
 */
final class Sequence {
    private int last;

    Sequence(int last) {
        this.last = last;
    }

    /**
     * Prepares a run of up to {@code n} numbers: when they would pass 0 (which {@link #next} never
     * returns), the run starts again at 1 instead.
     */
    void reserve(int n) {
        if (Integer.toUnsignedLong(last) + n > 0xffff_ffffL) {
            last = 0;
        }
    }

    int next() {
        last++;
        if (last == 0) {
            last = 1;
        }
        return last;
    }

    /** Takes back the number {@link #next} just returned (its message was not sent). */
    void unget() {
        last--;
    }

    /** The next number is {@code last + 1} (tests start a handle near the wrap with it). */
    void startAfter(int last) {
        this.last = last;
    }
}
