package io.github.netvirt.netns.internal;

import java.util.function.BooleanSupplier;

/**
 * Whether the calling thread runs code inside a namespace whose handle is being closed (a resident
 * thread of {@code NetNamespace.call}, {@code run}, {@code submit}): the close has interrupted it and
 * waits for it, so a wait of its own for something the closer holds gives up instead. For netvirt's
 * modules only.
 */
public final class Residency {
    private static final ThreadLocal<BooleanSupplier> HOME_CLOSING = new ThreadLocal<>();

    private Residency() {}

    /** On a resident thread, for its life: how it tells whether its namespace's handle is being closed. */
    public static void begin(BooleanSupplier homeClosing) {
        HOME_CLOSING.set(homeClosing);
    }

    /** On a resident thread, as it ends. */
    public static void end() {
        HOME_CLOSING.remove();
    }

    /** Whether the calling thread is a resident thread of a namespace handle being closed. */
    public static boolean homeClosing() {
        BooleanSupplier s = HOME_CLOSING.get();
        return s != null && s.getAsBoolean();
    }
}
