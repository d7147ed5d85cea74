package io.github.netvirt.netlink;

import java.nio.charset.StandardCharsets;

/** Validation of interface names, before anything is sent to the kernel. */
final class Names {
    private Names() {
    }

    /** Checks an interface name as the kernel's {@code dev_valid_name} does. */
    static String checkIfName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("interface name is empty");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > 15) {
            throw new IllegalArgumentException("interface name \"" + name + "\" is longer than 15 bytes");
        }
        if (name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("interface name \"" + name + "\" is not allowed");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || Character.isWhitespace(c) || c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("interface name \"" + name + "\" contains '" + c + "'");
            }
        }
        return name;
    }

    static int checkIndex(int index) {
        if (index <= 0) {
            throw new IllegalArgumentException("ifindex must be positive: " + index);
        }
        return index;
    }
}
