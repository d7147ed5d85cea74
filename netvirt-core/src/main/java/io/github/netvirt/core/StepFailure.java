package io.github.netvirt.core;

/** A failure of {@link #step} while applying a plan, on its way to become an {@link ApplyException}. */
final class StepFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Step step;

    StepFailure(Step step, Throwable cause) {
        super(cause);
        this.step = step;
    }
}
