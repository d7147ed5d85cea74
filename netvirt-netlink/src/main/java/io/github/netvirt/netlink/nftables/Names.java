package io.github.netvirt.netlink.nftables;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Validation of the names of tables and chains. The kernel takes any up to 255 bytes (NUL excluded):
 * every name read back or referred to is checked against that. A name netvirt creates must also be one
 * {@code nft} can read back: its scanner's {@code string}, a letter, {@code _} or {@code .} followed by
 * letters, digits and {@code _ . / -} ({@code nft list} prints a name unquoted, so {@code "a b"} would
 * list as {@code table inet a b}, and nft 1.0.6 takes no quoted name either). Keywords such as
 * {@code table} pass: nft accepts many of them as names ({@code input}, {@code filter}) and no list of
 * the others is kept here.
 */
final class Names {
    static final int MAX = 255;

    /** nft's {@code scanner.l}: {@code string ({letter}|[_.])({letter}|{digit}|[/\-_\.])*}. */
    private static final Pattern NFT = Pattern.compile("[A-Za-z_.][A-Za-z0-9/_.-]*");

    private Names() {}

    static void check(String what, String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a " + what + " needs a name");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("invalid " + what + " name \"" + name + "\"");
        }
    }

    /** As {@link #check}, for a name to create: also one {@code nft} can read back. */
    static void checkNew(String what, String name) {
        check(what, name);
        if (!NFT.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid " + what + " name \"" + name
                    + "\": nft could not read it back; use a letter, _ or . followed by letters, digits"
                    + " and _ . / -");
        }
    }
}
