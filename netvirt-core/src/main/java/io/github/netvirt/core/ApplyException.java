package io.github.netvirt.core;

import io.github.netvirt.netns.sys.HasErrno;
import io.github.netvirt.netns.sys.SyscallException;

/**
 * {@link TopologyBuilder#apply()} failed at {@link #step()}; everything done before was undone (an
 * undo that failed too is attached as a suppressed exception). The cause is the kernel's error.
 */
public final class ApplyException extends RuntimeException implements HasErrno {
    private static final long serialVersionUID = 1L;
    private final transient Step step;
    private final int errno;

    ApplyException(Step step, Throwable cause) {
        this(step, cause, null);
    }

    /** With {@code detail} (whose is the name that was taken, say) after the cause's message. */
    ApplyException(Step step, Throwable cause, String detail) {
        super(
                "apply failed at step " + step.describe() + ": " + (cause == null ? "?" : cause.getMessage())
                        + (detail == null ? "" : "; " + detail)
                        + "; everything done before was undone",
                cause);
        this.step = step;
        this.errno = cause instanceof SyscallException se ? se.errno() : 0;
    }

    /** The step that failed. */
    public Step step() {
        return step;
    }

    /** The kernel's errno, 0 when the failure was not a system call's. */
    @Override
    public int errno() {
        return errno;
    }
}
