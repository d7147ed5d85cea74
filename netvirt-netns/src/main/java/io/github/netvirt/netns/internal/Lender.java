package io.github.netvirt.netns.internal;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Who may close a handle that its owner lends out (netvirt plumbing, not API): {@code NetNamespace},
 * {@code NetlinkHandle} and {@code TapDevice} keep one each and hand their {@code lend(owner)},
 * {@code close(owner)} and {@code close()} to it. Once lent, the handle's {@code close()} does
 * nothing (the code it is lent to cannot end it, nor break its owner), and only
 * {@code close(owner)} closes it. Thread-safe.
 */
public final class Lender {
    private final Object handle;
    private final Runnable close;
    private final AtomicReference<Object> owner = new AtomicReference<>();

    /**
     * {@code handle}: the handle this lender guards, named in the messages; {@code close}: what
     * closes it, idempotent.
     */
    public Lender(Object handle, Runnable close) {
        this.handle = Objects.requireNonNull(handle, "handle");
        this.close = Objects.requireNonNull(close, "close");
    }

    /**
     * Lends the handle out on behalf of {@code owner}; lending again for the same owner does nothing.
     *
     * @throws IllegalStateException if it is lent by another owner
     * @throws NullPointerException if {@code owner} is null
     */
    public void lend(Object owner) {
        Objects.requireNonNull(owner, "owner");
        if (!this.owner.compareAndSet(null, owner)) {
            checkOwner(owner);
        }
    }

    /** Whether the handle is lent out: its plain {@code close()} does nothing then. */
    public boolean isLent() {
        return owner.get() != null;
    }

    /** The handle's {@code close()}: closes it unless it is lent out. */
    public void close() {
        if (!isLent()) {
            close.run();
        }
    }

    /**
     * The handle's {@code close(owner)}: closes it, also when {@code owner} has lent it out.
     *
     * @throws IllegalStateException if it is lent by another owner (nothing is closed)
     */
    public void close(Object owner) {
        checkOwner(owner);
        close.run();
    }

    private void checkOwner(Object owner) {
        Object lentBy = this.owner.get();
        if (lentBy != null && lentBy != owner) {
            throw new IllegalStateException(handle + " is lent out by its owner, who alone may close it");
        }
    }
}
