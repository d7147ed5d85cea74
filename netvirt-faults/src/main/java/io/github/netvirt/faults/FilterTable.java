package io.github.netvirt.faults;

import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netlink.nftables.Chain;
import io.github.netvirt.netlink.nftables.Expr;
import io.github.netvirt.netlink.nftables.Family;
import io.github.netvirt.netlink.nftables.Hook;
import io.github.netvirt.netlink.nftables.NftHandle;
import io.github.netvirt.netlink.nftables.NftTransaction;
import io.github.netvirt.netlink.nftables.Rule;
import io.github.netvirt.netlink.nftables.Table;
import io.github.netvirt.netlink.nftables.Verdict;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.Journal;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One nftables table of a fault in one namespace, spoken to the kernel through netvirt-netlink's
 * nf_tables client (no {@code nft} program): created with its chains and rules in one atomic
 * transaction (a name of its own, refused if it exists), deleted whole, by the handle the kernel
 * echoed at that commit, on {@link #remove()}, through a handle of its own on the namespace
 * ({@link Lease}): whatever becomes of the caller's handle. Chains hook input and output at priority
 * -10, before the usual filter chains.
 *
 * <p>The table is owned ({@link NftTransaction#createOwnedTable}) by a netlink socket the fault holds
 * open until {@link #remove()}: the kernel deletes it when that socket closes, so a JVM killed with
 * its faults in force leaves no table behind, whatever handle the fault was given. No other socket may
 * change or delete it (EPERM), and {@code nft flush ruleset} leaves it: it is the fault's alone until
 * its heal. One socket per fault table: one descriptor.
 *
 * <p>Where the handle was handed out by a netvirt-core topology for a namespace it does not own (an
 * adopted one, the root), the table is noted in the topology's crash record ({@code Journal}) as well:
 * its name before the commit, the handle the commit echoed right after it, its removal after it; a
 * cleanup after a crash finds it gone already, or deletes it by that handle.
 */
final class FilterTable {
    static final int PRIORITY = -10;
    private static final AtomicInteger TABLES = new AtomicInteger();
    /** Test hook: runs with the table's name right after the commit that made it, before install returns. */
    static volatile Consumer<String> afterCommit = name -> {};

    /** A rule: on {@code hook}, when every expression of {@code match} holds, {@code action}. */
    record Entry(Hook hook, List<Expr> match, Expr action) {
        Entry {
            if (hook != Hook.INPUT && hook != Hook.OUTPUT) {
                throw new IllegalArgumentException("fault rules hook input or output, not " + hook);
            }
            match = List.copyOf(match);
        }
    }

    private final Lease lease;
    private final NftHandle owner;
    private final Table table;
    private final Journal.Made note;
    private boolean removed;

    private FilterTable(Lease lease, NftHandle owner, Table table, Journal.Made note) {
        this.lease = lease;
        this.owner = owner;
        this.table = table;
        this.note = note;
    }

    /** A table name unique on the machine, e.g. {@code netvirt_fault_3_12345}. */
    static String newName() {
        return "netvirt_fault_" + TABLES.incrementAndGet() + "_"
                + ProcessHandle.current().pid();
    }

    static FilterTable install(NetNamespace ns, List<Entry> entries) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a fault table needs rules");
        }
        String name = newName();
        Set<Hook> hooks = EnumSet.noneOf(Hook.class);
        entries.forEach(e -> hooks.add(e.hook()));
        Lease lease = Lease.of(ns);
        NftHandle nft = null;
        try {
            nft = NftHandle.open(lease.ns());
            // owned by the socket the fault holds until its heal: the kernel deletes the table when that
            // socket closes, at the heal or at the JVM's death, whether a crash record names it or not
            NftTransaction t = nft.transaction().createOwnedTable(Table.of(Family.INET, name));
            for (Hook h : hooks) {
                t.addChain(Chain.base(Family.INET, name, chain(h), h, PRIORITY, Verdict.ACCEPT));
            }
            for (Entry e : entries) {
                t.addRule(Rule.in(Family.INET, name, chain(e.hook()))
                        .match(e.match())
                        .then(e.action()));
            }
            // noted (in the crash record of the topology that handed the handle out) before it exists,
            // its handle once the commit echoed it: a cleaner deletes only a table whose handle is noted
            Journal.Made note = Journal.of(ns).nftTable(name);
            List<Table> created;
            try {
                created = t.commit();
            } catch (NetlinkException refused) {
                note.gone(); // the transaction is atomic: nothing was made
                throw refused;
            }
            afterCommit.accept(name);
            // the handle comes from the commit's echo: a table read back by name may be a namesake that
            // another program made once this one was deleted
            if (created.size() != 1
                    || !created.get(0).name().equals(name)
                    || created.get(0).handle() == 0) {
                throw new IllegalStateException("the kernel did not echo table " + name + " in " + ns
                        + ": its handle is unknown; it goes with the socket that owns it");
            }
            Table table = created.get(0);
            try {
                note.made(table.handle());
            } catch (RuntimeException e) {
                // a crash would leave it unproven: it goes again, nothing is left
                try {
                    nft.transaction().deleteTable(table).commit();
                    note.gone();
                } catch (RuntimeException d) {
                    e.addSuppressed(d);
                }
                throw e;
            }
            return new FilterTable(lease, nft, table, note);
        } catch (RuntimeException e) {
            try {
                if (nft != null) {
                    nft.close(); // the table, if made, goes with its socket
                }
            } finally {
                lease.release();
            }
            throw e;
        }
    }

    private static String chain(Hook h) {
        return h == Hook.INPUT ? "input" : "output";
    }

    String name() {
        return table.name();
    }

    /** The fault's way back into the namespace, for {@link Lease#healOnClose} and {@link Lease#dropOnClose}. */
    Lease lease() {
        return lease;
    }

    /** Whether {@link #remove()} has returned. */
    synchronized boolean isRemoved() {
        return removed;
    }

    /**
     * Deletes the table with everything in it (nothing when the table is gone: its handle is never
     * given to another table) through the socket that owns it, then closes that socket and the table's
     * own handle on the namespace. Once it has returned, later calls do nothing.
     */
    synchronized void remove() {
        if (removed) {
            return;
        }
        try {
            owner.transaction().deleteTable(table).commit();
        } catch (RuntimeException e) {
            // ENOENT: gone already. Anything else (an interrupt, ENOBUFS): the close below deletes it
            // all the same, as the kernel deletes an owned table when the socket that owns it closes
        } finally {
            owner.close();
        }
        note.gone();
        removed = true;
        lease.release();
    }
}
