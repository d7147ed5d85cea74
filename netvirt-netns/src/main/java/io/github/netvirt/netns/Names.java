package io.github.netvirt.netns;

import java.nio.charset.StandardCharsets;

/** Validation of namespace names, which become file names under {@code /run/netns}. */
final class Names {
    static final int MAX_BYTES = 255;

    private Names() {
    }

    static String check(String name) {
        if (name == null) {
            throw new IllegalArgumentException("namespace name must not be null");
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException("namespace name must not be empty");
        }
        if (name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("invalid namespace name \"" + name + "\": '.' and '..' are not allowed");
        }
        if (name.indexOf('/') >= 0) {
            throw new IllegalArgumentException("invalid namespace name \"" + name + "\": contains '/'");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("invalid namespace name \"" + printable(name)
                        + "\": contains control character U+" + String.format("%04X", (int) c));
            }
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw new IllegalArgumentException("invalid namespace name \"" + name.substring(0, 20)
                    + "...\": " + bytes + " bytes, at most " + MAX_BYTES + " allowed");
        }
        return name;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }
}
