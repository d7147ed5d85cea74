package io.github.netvirt.faults;

/** A fault in force until {@link #heal()} (or {@link #close()}, the same) undoes it. Healing twice is a no-op. */
public interface Fault extends AutoCloseable {
    void heal();

    boolean isActive();

    @Override
    default void close() {
        heal();
    }
}
