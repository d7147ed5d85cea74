package io.github.netvirt.faults;

/**
 * A fault in force until {@link #heal()} (or {@link #close()}, the same) undoes it. Healing twice is a
 * no-op. netvirt-faults' faults keep a handle of their own on the namespaces they changed, so a heal
 * works whatever became of the handles they were given, and closing one of those handles
 * ({@link io.github.netvirt.netns.NetNamespace#close()}, or the close of the topology that lent it)
 * heals them first ({@link io.github.netvirt.netns.NetNamespace#beforeClose}): an adopted namespace is
 * left as it was found. A fault spanning several namespaces (a {@link Partition}) loses there only its
 * part in the namespace of the handle that closed (a topology's change that removes one of them): it
 * stays in force in the others, {@link #isActive()} true, until its heal, and is healed once the handles
 * of all its namespaces have closed. A heal that cannot be done throws, and leaves the fault active
 * ({@link #isActive()} true) with its own handles and its heal on close: the next {@link #heal()},
 * or the close of a handle it was given, tries again, leaving undone what the failed heal undid. A
 * heal is not cancelled by an interrupt of the calling thread (a test framework's timeout, a
 * cancelled task closing its resources), whether pending when it begins or arriving while it runs:
 * it is held back until the heal is done, then set again.
 * {@link LinkConditionFault} works through the topology's handles instead: its heal is
 * {@link io.github.netvirt.core.ConditionedLink#heal()}, which the topology's close runs for a
 * condition still active; one that threw is tried again as the others' are.
 */
public interface Fault extends AutoCloseable {
    void heal();

    boolean isActive();

    @Override
    default void close() {
        heal();
    }
}
