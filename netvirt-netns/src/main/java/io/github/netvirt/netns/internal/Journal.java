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
    Journal NONE = name -> Table.NONE;

    /**
     * Notes, before it is committed, that an nftables table of family inet named {@code name} is
     * about to be made in the namespace.
     *
     * @throws RuntimeException when it cannot be noted: then the table must not be made
     */
    Table nftTable(String name);

    /** One table noted by {@link #nftTable}. */
    interface Table {
        /** Notes nothing. */
        Table NONE = new Table() {
            @Override
            public void made(long handle) {}

            @Override
            public void gone() {}
        };

        /**
         * Notes the handle the commit echoed for the table: from now on a cleaner may delete it.
         *
         * @throws RuntimeException when it cannot be noted: the caller deletes the table again
         */
        void made(long handle);

        /** Notes that the table is gone (deleted, or never made); never throws. */
        void gone();
    }

    /** Attaches {@code journal} to the handle {@code ns} (replacing any earlier one). */
    static void attach(NetNamespace ns, Journal journal) {
        Attached.BY_HANDLE.put(ns, journal);
    }

    /** The journal attached to the handle {@code ns}, or {@link #NONE}. */
    static Journal of(NetNamespace ns) {
        return Attached.BY_HANDLE.getOrDefault(ns, NONE);
    }
}
