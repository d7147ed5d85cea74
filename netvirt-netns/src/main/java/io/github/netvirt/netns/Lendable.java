package io.github.netvirt.netns;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A handle on a kernel resource that its owner can lend out: {@link NetNamespace}, netvirt-netlink's
 * {@code NetlinkHandle} and netvirt-tap's {@code TapDevice}. Once lent ({@link #lend}), the handle's
 * {@link #close()} does nothing, so the code it is lent to (a netvirt-core topology's
 * {@code namespace()}, {@code netlink()}, {@code tap()}) can use it but neither end it nor break its
 * owner; only {@link #close(Object) close(owner)} closes it. A handle that is not lent closes either
 * way. What closing releases is said by each subclass. Thread-safe. Not meant to be extended outside
 * netvirt.
 */
public abstract class Lendable implements AutoCloseable {
    private final AtomicReference<Object> owner = new AtomicReference<>();

    protected Lendable() {}

    /**
     * Lends this handle out on behalf of {@code owner}: from now on {@link #close()} does nothing,
     * and only {@link #close(Object) close(owner)} closes it. Lending again for the same owner does
     * nothing.
     *
     * @throws IllegalStateException if this handle is lent by another owner
     * @throws NullPointerException if {@code owner} is null
     */
    public final void lend(Object owner) {
        Objects.requireNonNull(owner, "owner");
        if (!this.owner.compareAndSet(null, owner)) {
            checkOwner(owner);
        }
    }

    /**
     * Closes this handle as {@link #close()} does, also when {@code owner} has lent it out.
     *
     * @throws IllegalStateException if this handle is lent by another owner (nothing is closed)
     */
    public final void close(Object owner) {
        checkOwner(owner);
        implClose();
    }

    /**
     * Closes this handle, releasing what the subclass says; does nothing while it is lent out
     * ({@link #lend}). Idempotent.
     */
    @Override
    public final void close() {
        if (!isLent()) {
            implClose();
        }
    }

    /**
     * Releases the resource: what {@link #close()} does when the handle is not lent out. Called on
     * every close, from any thread: it must be idempotent and thread-safe.
     */
    protected abstract void implClose();

    /** Whether this handle is lent out: its {@link #close()} does nothing then. */
    final boolean isLent() {
        return owner.get() != null;
    }

    final void checkOwner(Object owner) {
        Object lentBy = this.owner.get();
        if (lentBy != null && lentBy != owner) {
            throw new IllegalStateException(this + " is lent out by its owner, who alone may close it");
        }
    }
}
