package io.github.netvirt.netns.internal;

import io.github.netvirt.netns.NetNamespace;

/**
 * Where netvirt notes, for a cleaner after a crash of the JVM, what code given a namespace handle
 * puts in that namespace that would outlive the JVM there: the hook through which netvirt-faults
 * reaches the crash record of the netvirt-core topology that handed the handle out (netvirt-core
 * attaches one to the handles of the namespaces it does not own, adopted ones and the root). A
 * handle without one ({@link #NONE}: opened alone, or a namespace the topology made, whose contents
 * go with it) notes nothing. Per handle, by identity: {@link NetNamespace#reopen()} does not carry it.
 */
public interface Journal {
    /** Notes nothing. */
    Journal NONE = new Journal() {
        @Override
        public Made nftTable(String name) {
            return Made.NONE;
        }

        @Override
        public Made rootQdisc(int index, String kind) {
            return Made.NONE;
        }

        @Override
        public Made ingressMirror(int index, int priority, int to, String actionCookie) {
            return Made.NONE;
        }

        @Override
        public Note linkDown(int index, String name) {
            return Note.NONE;
        }
    };

    /**
     * Notes, before it is committed, that an nftables table of family inet named {@code name} is
     * about to be made in the namespace; {@link Made#made} takes the handle its commit echoed.
     *
     * @throws RuntimeException when it cannot be noted: then the table must not be made
     */
    Made nftTable(String name);

    /**
     * Notes, before it is added, that a root qdisc of kind {@code kind} is about to be put on device
     * {@code index} of the namespace; {@link Made#made} takes the handle it is to be added with, before
     * the add: a cleaner may delete it whatever became of the add.
     *
     * @throws RuntimeException when it cannot be noted: then the qdisc must not be added
     */
    Made rootQdisc(int index, String kind);

    /**
     * Notes, before it is added, that an {@code ingress} qdisc is about to be put on device
     * {@code index} of the namespace, with a u32 filter of priority {@code priority} whose action,
     * marked with the cookie {@code actionCookie} (32 lower-case hex digits), mirrors every frame to
     * device {@code to}; {@link Made#made} takes the u32 handle the filter's add echoed (the qdisc's,
     * always {@code ffff:}, proves nothing: the filter with its cookie is its identity).
     *
     * @throws RuntimeException when it cannot be noted: then neither must be added
     */
    Made ingressMirror(int index, int priority, int to, String actionCookie);

    /**
     * Notes, before it is set down, that device {@code index}, named {@code name}, is up and about to
     * be set down; {@link Note#gone} once the cut is over.
     *
     * @throws RuntimeException when it cannot be noted: then the device must not be set down
     */
    Note linkDown(int index, String name);

    /** One change noted by the journal. */
    interface Note {
        /** Notes nothing. */
        Note NONE = () -> {};

        /** Notes that the change is undone (or never made); never throws. */
        void gone();
    }

    /** A thing noted before it is made, whose kernel handle is noted once known. */
    interface Made extends Note {
        /** Notes nothing. */
        Made NONE = new Made() {
            @Override
            public void made(long handle) {}

            @Override
            public void gone() {}
        };

        /**
         * Notes the thing's handle, echoed by the kernel or chosen for it before its add: from now on a
         * cleaner may delete it.
         *
         * @throws RuntimeException when it cannot be noted: the caller deletes it again, or does not make it
         */
        void made(long handle);
    }

    /**
     * Attaches {@code journal} to the handle {@code ns} (replacing any earlier one) until the handle
     * closes: a journal reaches what it notes for (a topology, and through it the handle), so the
     * map's weak key alone would never let it go. Notes already taken stay usable after.
     *
     * @throws IllegalStateException if {@code ns} is closed
     */
    static void attach(NetNamespace ns, Journal journal) {
        Attached.BY_HANDLE.put(ns, journal);
        try {
            ns.beforeClose(() -> Attached.BY_HANDLE.remove(ns, journal));
        } catch (RuntimeException closed) {
            Attached.BY_HANDLE.remove(ns, journal);
            throw closed;
        }
    }

    /** The journal attached to the handle {@code ns}, or {@link #NONE}. */
    static Journal of(NetNamespace ns) {
        return Attached.BY_HANDLE.getOrDefault(ns, NONE);
    }
}
