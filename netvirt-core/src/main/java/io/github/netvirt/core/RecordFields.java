package io.github.netvirt.core;

import io.github.netvirt.netlink.codec.Nl;

/**
 * The fields of a {@link CrashRecord}'s lines that are not plain numbers, as its writer puts them and
 * {@link RecordParser} takes them back: names escaped, descriptions made printable, and the checks both
 * apply, so that nothing is written that the reader would refuse.
 */
final class RecordFields {
    private RecordFields() {}

    /** Names are file names (no '/', no control characters): escape the backslash and spaces. */
    static String escape(String s) {
        if (s.indexOf('\\') < 0 && s.indexOf(' ') < 0) {
            return s; // the usual name, without two replace calls: apply's code runs interpreted at first
        }
        return s.replace("\\", "\\\\").replace(" ", "\\s");
    }

    static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(n == 's' ? ' ' : n);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    static String printable(String s) {
        boolean plain = s.length() <= 1000; // then at most 1000 code points: nothing to cut
        for (char c : s.toCharArray()) { // one call, where charAt is several a char
            plain &= c >= 0x20 && c != 0x7f;
        }
        if (plain) {
            return s;
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), 1000));
        for (int i = 0, n = 0; i < s.length() && n < 1000; n++) {
            int c = s.codePointAt(i);
            b.appendCodePoint(c < 0x20 || c == 0x7f ? ' ' : c);
            i += Character.charCount(c);
        }
        return b.toString();
    }

    /** A filter's priority ({@code pref}): 1 to 65535, in decimal digits. */
    static int filterPriority(String s) {
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("not a filter priority: " + s);
        }
        int p = Integer.parseInt(s);
        if (p <= 0 || p > 0xffff) {
            throw new IllegalArgumentException("not a filter priority: " + s);
        }
        return p;
    }

    /**
     * A u32 filter node's handle ({@code htid:hash:node}, 12:8:12 bits, the node not 0: not a hash
     * table nor a priority's classifier), as a 32-bit number in decimal digits.
     */
    static long u32Node(String s) {
        if (s.isEmpty() || s.length() > 10 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("not a u32 filter's handle: " + s);
        }
        long h = Long.parseLong(s);
        if (h > 0xffffffffL || (h & 0xfff) == 0) {
            throw new IllegalArgumentException("not a u32 filter's handle: " + s);
        }
        return h;
    }

    /** A mirror's action cookie as netvirt-faults makes it ({@code FilterSpec.newCookie}): 32 lower-case hex digits. */
    static String actionCookie(String s) {
        if (s.length() != 2 * Nl.TC_COOKIE_MAX_SIZE
                || !s.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
            throw new IllegalArgumentException("not a mirror's action cookie (32 lower-case hex digits): " + s);
        }
        return s;
    }

    /** A root qdisc's handle: {@code MAJ:0}, MAJ not 0, as a 32-bit number. */
    static long qdiscHandle(String s) {
        long h = Long.parseUnsignedLong(s);
        if (h == 0 || h > 0xffffffffL || (h & 0xffff) != 0) {
            throw new IllegalArgumentException("not a root qdisc's handle: " + s);
        }
        return h;
    }

    /**
     * {@code kind} if it is one a fault puts on a device as its root qdisc ({@code tbf} for a rate
     * limit, {@code netem}): a line naming another (untrusted input) must not get one deleted.
     */
    static String qdiscKind(String kind) {
        if (!kind.equals("tbf") && !kind.equals("netem")) {
            throw new IllegalArgumentException("not the kind of a fault's root qdisc (tbf, netem): " + kind);
        }
        return kind;
    }

    /**
     * {@code name} if it is a name netvirt gives a table: a letter or {@code _}, then letters, digits and
     * {@code _}, at most 255 bytes (nothing a record line or a message could be split or fooled by).
     */
    static String tableName(String name) {
        if (name.isEmpty() || name.length() > 255 || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("not a table name netvirt makes: " + name);
        }
        return name;
    }

    static String digits(String s) {
        if (s.isEmpty() || s.length() > 20 || !s.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("not a start time: " + s);
        }
        return s;
    }
}
