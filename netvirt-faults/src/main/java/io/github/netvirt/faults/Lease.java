package io.github.netvirt.faults;

import io.github.netvirt.netns.NetNamespace;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A fault's own way back into a namespace it changed: a handle of its own on the namespace of the
 * handle it was given ({@link NetNamespace#reopen()}), so that it heals whatever becomes of the
 * caller's handle, and an action on the caller's handle that undoes the fault's part in that namespace
 * when that handle closes first ({@link NetNamespace#beforeClose}): a topology's close heals the faults
 * still on its namespaces, so an adopted namespace is left as it was found and an ephemeral one is not
 * kept alive. A fault spanning several namespaces (a {@link Partition}) loses only its part in the
 * namespace whose handle closed (a change that removes one of them): it stays in force in the others
 * until its heal, and is healed once its last part is gone. {@link #release()} lets both go, once the
 * part is undone: a fault whose heal threw keeps its lease (and with it the namespace, and its undo
 * when a given handle closes) for the next heal. Thread-safe.
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
     * Runs {@code undo} when the handle it was given closes, unless released first.
     *
     * @throws IllegalStateException if that handle is closed already
     */
    private synchronized void undoOnClose(Runnable undo) {
        if (!released && onClose == null) {
            onClose = given.beforeClose(undo);
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
     * Heals {@code fault}, which is in {@code lease}'s namespace alone, when its given handle closes;
     * if that is closed already, heals the fault (nothing is left) and throws.
     */
    static <F extends Fault> F healOnClose(F fault, Lease lease) {
        return dropOnClose(fault, List.of(lease), l -> l, l -> fault.heal());
    }

    /**
     * Has each of {@code parts} of {@code fault}, one per namespace, {@code drop}ped when the handle its
     * lease was given closes (the fault stays in force through the others; {@code drop} heals it once
     * none is left); if one of those handles is closed already, heals the fault (nothing is left) and
     * throws.
     */
    static <F extends Fault, P> F dropOnClose(F fault, List<P> parts, Function<P, Lease> lease, Consumer<P> drop) {
        try {
            for (P part : parts) {
                lease.apply(part).undoOnClose(() -> drop.accept(part));
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
