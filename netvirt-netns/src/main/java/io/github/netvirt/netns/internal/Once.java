package io.github.netvirt.netns.internal;

/**
 * A step that may happen once (executing a batch, committing a transaction): what is queued for it
 * checks {@link #checkNotDone()}, the step itself calls {@link #done()}. Not thread-safe, like the
 * builders that hold it.
 */
public final class Once {
    private final String doneMessage;
    private boolean done;

    /** @param doneMessage the message once it is done, e.g. "batch already executed" */
    public Once(String doneMessage) {
        this.doneMessage = doneMessage;
    }

    /** @throws IllegalStateException if the step has happened */
    public void checkNotDone() {
        if (done) {
            throw new IllegalStateException(doneMessage);
        }
    }

    /**
     * Marks the step as happened.
     *
     * @throws IllegalStateException if it had happened before
     */
    public void done() {
        checkNotDone();
        done = true;
    }
}
