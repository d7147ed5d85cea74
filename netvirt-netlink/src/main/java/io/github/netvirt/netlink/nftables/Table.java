package io.github.netvirt.netlink.nftables;

/**
 * An nf_tables table: a family and a name; {@code handle} is the kernel's number for it (0 in a table
 * to create, set in one read back).
 */
public record Table(Family family, String name, long handle) {
    public Table {
        if (family == null) {
            throw new IllegalArgumentException("a table needs a family");
        }
        Names.check("table", name);
    }

    /** A table to create. */
    public static Table of(Family family, String name) {
        return new Table(family, name, 0);
    }
}
