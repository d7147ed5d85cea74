package io.github.netvirt.faults;

import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netlink.Qdisc;
import io.github.netvirt.netlink.QdiscSpec;
import io.github.netvirt.netns.internal.Uninterrupted;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * A fault undone by the first {@link #heal()} that returns; later calls do nothing. A heal that throws
 * leaves the fault active, its lease held (its own handle, its heal on close): the next heal, or the
 * close of the handle it was given, tries again. A heal runs with the caller's interrupts (pending or
 * arriving meanwhile) held back ({@link Uninterrupted}) and set again after: an interrupted thread's close (a test framework's
 * timeout, a cancelled task) heals too. Thread-safe: heal, isActive and toString hold the fault's lock.
 */
abstract class OneShotFault implements Fault {
    /**
     * Test hook: the add of a fault's qdisc ({@link NetlinkHandle#qdiscCreate}), which a test makes lose
     * its echo, or the JVM, once the kernel made the qdisc.
     */
    static volatile BiFunction<NetlinkHandle, QdiscSpec<?>, Qdisc> qdiscCreate = NetlinkHandle::qdiscCreate;

    private final String kind;
    private final String subject;
    private boolean active = true;

    /** {@code toString()} reads {@code KIND[SUBJECT]}, then {@code KIND[SUBJECT, healed]}. */
    OneShotFault(String kind, String subject) {
        this.kind = kind;
        this.subject = subject;
    }

    /**
     * Undoes the fault, under the fault's lock; called by each {@link #heal()} until one returns, so
     * after a throw it is called again and must not redo what it undid already.
     */
    abstract void undo();

    /**
     * Runs {@code undo} with a handle in the namespace of {@code lease}, then releases the lease: the
     * fault's own handle, open whatever became of the one it was given. When {@code undo} throws, the
     * lease is kept for the next heal.
     */
    static void inside(Lease lease, Consumer<NetlinkHandle> undo) {
        try (NetlinkHandle h = NetlinkHandle.open(lease.ns())) {
            undo.accept(h);
        }
        lease.release();
    }

    @Override
    public final synchronized void heal() {
        if (active) {
            Uninterrupted.run(this::undo);
            active = false;
        }
    }

    @Override
    public final synchronized boolean isActive() {
        return active;
    }

    @Override
    public synchronized String toString() {
        return kind + "[" + subject + (active ? "]" : ", healed]");
    }
}
