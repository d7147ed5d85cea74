package io.github.netvirt.netlink.nftables;

/**
 * An nf_tables table: a family and a name; {@code handle} is the kernel's number for it (0 in a table
 * to create, set in one read back).
 *
 * <p>Names: any the kernel takes (1 to 255 bytes, no NUL) to read, delete or refer to, since another
 * program may have made it; but a table or chain netvirt creates ({@link NftTransaction#addTable},
 * {@link NftTransaction#createTable}, {@link NftTransaction#addChain}) needs a name {@code nft} can read
 * back: a letter, {@code _} or {@code .}, then letters, digits and {@code _ . / -} ({@code nft list}
 * prints names unquoted: {@code "a b"} would list as {@code table inet a b}).
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
