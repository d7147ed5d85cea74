package io.github.netvirt.netlink.nftables;

import java.nio.charset.StandardCharsets;

/** Validation of the names of tables and chains (the kernel allows up to 255 bytes, NUL excluded). */
final class Names {
    static final int MAX = 255;

    private Names() {}

    static void check(String what, String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a " + what + " needs a name");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("invalid " + what + " name \"" + name + "\"");
        }
    }
}
