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
import io.github.netvirt.netns.sys.Errno;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One nftables table of a fault in one namespace, spoken to the kernel through netvirt-netlink's
 * nf_tables client (no {@code nft} program): created with its chains and rules in one atomic
 * transaction (a name of its own, refused if it exists), deleted whole, by its handle, on
 * {@link #remove()}. Chains hook input and output at priority -10, before the usual filter chains.
 */
final class FilterTable {
    static final int PRIORITY = -10;
    private static final AtomicInteger TABLES = new AtomicInteger();

    /** A rule: on {@code hook}, when every expression of {@code match} holds, {@code action}. */
    record Entry(Hook hook, List<Expr> match, Expr action) {
        Entry {
            if (hook != Hook.INPUT && hook != Hook.OUTPUT) {
                throw new IllegalArgumentException("fault rules hook input or output, not " + hook);
            }
            match = List.copyOf(match);
        }
    }

    private final NetNamespace ns;
    private final Table table;

    private FilterTable(NetNamespace ns, Table table) {
        this.ns = ns;
        this.table = table;
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
        try (NftHandle nft = NftHandle.open(ns)) {
            NftTransaction t = nft.transaction().createTable(Table.of(Family.INET, name));
            for (Hook h : hooks) {
                t.addChain(Chain.base(Family.INET, name, chain(h), h, PRIORITY, Verdict.ACCEPT));
            }
            for (Entry e : entries) {
                t.addRule(Rule.in(Family.INET, name, chain(e.hook()))
                        .match(e.match())
                        .then(e.action()));
            }
            t.commit();
            Table created = nft.tables().stream()
                    .filter(x -> x.name().equals(name) && x.family() == Family.INET)
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("table " + name + " vanished in " + ns));
            return new FilterTable(ns, created);
        }
    }

    private static String chain(Hook h) {
        return h == Hook.INPUT ? "input" : "output";
    }

    String name() {
        return table.name();
    }

    /**
     * Deletes the table with everything in it; nothing when the namespace is closed already or the
     * table gone (e.g. {@code nft flush ruleset}): its handle is never given to another table.
     */
    void remove() {
        if (!ns.isOpen()) {
            return;
        }
        try (NftHandle nft = NftHandle.open(ns)) {
            nft.transaction().deleteTable(table).commit();
        } catch (NetlinkException e) {
            if (!e.is(Errno.ENOENT)) {
                throw e;
            }
        }
    }
}
