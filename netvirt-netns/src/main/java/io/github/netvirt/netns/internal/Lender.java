package io.github.netvirt.netns.internal;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Who may close a handle that its owner lends out (netvirt plumbing, not API): {@code NetNamespace}, {@code NetlinkHandle} and
 * {@code TapDevice} keep one each. Once lent, the handle's {@code close()} does nothing (the code it
 * is lent to cannot end it, nor break its owner), and only {@code close(owner)} closes it. Thread-safe.
 */
public final class Lender {
    private final Object handle;
    private final AtomicReference<Object> owner = new AtomicReference<>();

    /** {@code handle}: the handle this lender guards, named in the messages. */
    public Lender(Object handle) {
        this.handle = Objects.requireNonNull(handle, "handle");
    }

    /**
     * Lends the handle out on behalf of {@code owner}; lending again for the same owner does nothing.
     *
     * @throws IllegalStateException if it is lent by another owner
     */
    public void lend(Object owner) {
        Objects.requireNonNull(owner, "owner");
        if (!this.owner.compareAndSet(null, owner)) {
            checkOwner(owner);
        }
    }

    /** Whether the handle is lent out: its plain {@code close()} must then do nothing. */
    public boolean isLent() {
        return owner.get() != null;
    }

    /**
     * Checks that {@code owner} may close the handle: it is not lent, or lent by {@code owner}.
     *
     * @throws IllegalStateException if it is lent by another owner
     */
    public void checkOwner(Object owner) {
        Object lentBy = this.owner.get();
        if (lentBy != null && lentBy != owner) {
            throw new IllegalStateException(handle + " is lent out by its owner, who alone may close it");
        }
    }
}
