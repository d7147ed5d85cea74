package io.github.netvirt.netns.sys;

/**
 * An exception that carries the kernel's errno. The one implementation of the errno accessors for
 * every netvirt exception, whatever class it extends.
 */
public interface HasErrno {
    /** The positive errno value (0 when the failure was not a system call's). */
    int errno();

    /** The errno as a constant ({@link Errno#UNKNOWN} for values netvirt does not list). */
    default Errno errnoConstant() {
        return Errno.of(errno());
    }

    /** Whether the errno is {@code e}. */
    default boolean is(Errno e) {
        return e.code() == errno();
    }
}
