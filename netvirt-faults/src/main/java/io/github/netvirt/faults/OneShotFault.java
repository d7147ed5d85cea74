package io.github.netvirt.faults;

import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netlink.QdiscSpec;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.sys.Errno;
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

    /** Deletes {@code qdisc}, unless it or its device is already gone. */
    static void delQdisc(NetlinkHandle h, QdiscSpec<?> qdisc) {
        try {
            h.qdiscDel(qdisc);
        } catch (NetlinkException e) {
            // ENOENT: only the default qdisc is there (EINVAL for an ingress qdisc once the device has
            // had one); ENODEV: the device went, and its qdiscs with it
            if (!e.is(Errno.ENOENT) && !e.is(Errno.EINVAL) && !e.isNoDevice()) {
                throw e;
            }
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
