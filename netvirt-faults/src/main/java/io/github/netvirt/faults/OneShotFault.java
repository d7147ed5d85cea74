package io.github.netvirt.faults;

import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
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

    /** Runs {@code undo} with a handle in {@code ns}; does nothing when {@code ns} is closed already. */
    static void inside(NetNamespace ns, Consumer<NetlinkHandle> undo) {
        if (!ns.isOpen()) {
            return;
        }
        try (NetlinkHandle h = NetlinkHandle.open(ns)) {
            undo.accept(h);
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
