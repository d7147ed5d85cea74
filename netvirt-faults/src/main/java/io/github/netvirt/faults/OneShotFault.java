package io.github.netvirt.faults;

import io.github.netvirt.netlink.NetlinkHandle;
import java.util.function.Consumer;

/**
 * A fault undone by the first {@link #heal()}; later calls do nothing. Thread-safe: heal, isActive
 * and toString hold the fault's lock.
 */
abstract class OneShotFault implements Fault {
    private final String kind;
    private final String subject;
    private boolean active = true;

    /** {@code toString()} reads {@code KIND[SUBJECT]}, then {@code KIND[SUBJECT, healed]}. */
    OneShotFault(String kind, String subject) {
        this.kind = kind;
        this.subject = subject;
    }

    /** Undoes the fault; called once, by the first {@link #heal()}, under the fault's lock. */
    abstract void undo();

    /**
     * Runs {@code undo} with a handle in the namespace of {@code lease}, then releases the lease: the
     * fault's own handle, open whatever became of the one it was given.
     */
    static void inside(Lease lease, Consumer<NetlinkHandle> undo) {
        try (NetlinkHandle h = NetlinkHandle.open(lease.ns())) {
            undo.accept(h);
        } finally {
            lease.release();
        }
    }

    @Override
    public final synchronized void heal() {
        if (active) {
            active = false;
            undo();
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
