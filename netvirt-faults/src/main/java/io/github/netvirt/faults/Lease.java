package io.github.netvirt.faults;

import io.github.netvirt.netns.NetNamespace;

/**
 * A fault's own way back into a namespace it changed: a handle of its own on the namespace of the
 * handle it was given ({@link NetNamespace#reopen()}), so that it heals whatever becomes of the
 * caller's handle, and an action on the caller's handle that heals the fault when that handle closes
 * first ({@link NetNamespace#beforeClose}): a topology's close heals the faults still on its
 * namespaces, so an adopted namespace is left as it was found and an ephemeral one is not kept alive.
 * {@link #release()} lets both go, once the fault is healed: a fault whose heal threw keeps its lease
 * (and with it the namespace, and its heal when a given handle closes) for the next heal. Thread-safe.
 */
final class Lease {
    private final NetNamespace given;
    private final NetNamespace own;
    private NetNamespace.BeforeClose onClose;
    private boolean released;

    private Lease(NetNamespace given, NetNamespace own) {
        this.given = given;
        this.own = own;
    }

    /**
     * A handle of its own on {@code given}'s namespace.
     *
     * @throws IllegalStateException if {@code given} is closed
     */
    static Lease of(NetNamespace given) {
        return new Lease(given, given.reopen());
    }

    /** The fault's own handle: open until {@link #release()}. */
    NetNamespace ns() {
        return own;
    }

    /**
     * Heals {@code fault} when the handle it was given closes, unless it is healed first.
     *
     * @throws IllegalStateException if that handle is closed already
     */
    synchronized void healOnClose(Fault fault) {
        if (!released && onClose == null) {
            onClose = given.beforeClose(fault::heal);
        }
    }

    /** Withdraws the heal on close and closes the fault's own handle; later calls do nothing. */
    synchronized void release() {
        if (released) {
            return;
        }
        released = true;
        try {
            if (onClose != null) {
                onClose.close();
            }
        } finally {
            own.close();
        }
    }

    /**
     * Has each of {@code leases} heal {@code fault} when its given handle closes; if one of those is
     * closed already, heals the fault (nothing is left) and throws.
     */
    static <F extends Fault> F healOnClose(F fault, Iterable<Lease> leases) {
        try {
            for (Lease l : leases) {
                l.healOnClose(fault);
            }
        } catch (RuntimeException e) {
            try {
                fault.heal();
            } catch (RuntimeException h) {
                e.addSuppressed(h);
            }
            throw e;
        }
        return fault;
    }
}
