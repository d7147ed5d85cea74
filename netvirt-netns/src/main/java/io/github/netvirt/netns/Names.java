package io.github.netvirt.netns;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * The one check of namespace names and interface names in netvirt, applied before the kernel or a
 * path sees them. The {@code problem} methods return what is wrong (or {@code null}) for callers that
 * collect problems; the {@code check} methods throw. Thread-safe (stateless).
 */
public final class Names {
    /** The longest namespace name: a file name under {@code /run/netns}. */
    public static final int NAMESPACE_MAX_BYTES = 255;
    /** The longest interface name: {@code IFNAMSIZ} (16) less the terminating NUL. */
    public static final int INTERFACE_MAX_BYTES = 15;
    /** How the JDK (and LibC.path) turns a file name into bytes: {@code sun.jnu.encoding}, from the locale. */
    private static final Charset FILE_NAMES = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));

    private Names() {}

    /**
     * What {@code ip netns add} accepts: not empty, not {@code .} or {@code ..}, no {@code /}, no
     * control characters, at most 255 bytes of UTF-8.
     *
     * @return {@code name}
     * @throws IllegalArgumentException {@code "NAME" is not a namespace name: PROBLEM}
     */
    public static String checkNamespace(String name) {
        String problem = namespaceProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException("\"" + printable(name) + "\" is not a namespace name: " + problem);
        }
        return name;
    }

    /** What is wrong with {@code name} as a namespace name, or {@code null} if nothing is. */
    public static String namespaceProblem(String name) {
        if (plain(name, NAMESPACE_MAX_BYTES, false)) {
            return null;
        }
        String common = commonProblem(name, NAMESPACE_MAX_BYTES);
        if (common != null) {
            return common;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c < 0x20 || c == 0x7f) {
                return "contains " + describe(c);
            }
        }
        return null;
    }

    /**
     * The kernel's {@code dev_valid_name} (not empty, not {@code .} or {@code ..}, at most 15 bytes,
     * no {@code /}, {@code :} or byte its {@code isspace()} takes: tab to carriage return, space, and
     * 0xA0, which is in the UTF-8 of {@code à}, {@code Ġ}, a no-break space and many other characters),
     * no other Unicode whitespace, not {@code all} or {@code default} (the names of the
     * sysctl directories {@code /proc/sys/net/ipv4/conf/all} and {@code .../default}: the kernel
     * refuses a device so named, EINVAL), plus no control characters and no {@code %}: a name
     * template would get a name the caller did not choose.
     *
     * @return {@code name}
     * @throws IllegalArgumentException {@code "NAME" is not an interface name: PROBLEM}
     */
    public static String checkInterface(String name) {
        return throwIf(name, interfaceProblem(name));
    }

    /**
     * As {@link #checkInterface}, but also a template for the kernel to fill in: one {@code %d}
     * (as in {@code tap%d}), or empty for the kernel's default.
     *
     * @return {@code name}
     * @throws IllegalArgumentException {@code "NAME" is not an interface name: PROBLEM}
     */
    public static String checkInterfaceTemplate(String name) {
        return throwIf(name, name != null && name.isEmpty() ? null : interfaceProblem(name, true));
    }

    /** What is wrong with {@code name} as an interface name (no template), or {@code null} if nothing is. */
    public static String interfaceProblem(String name) {
        return interfaceProblem(name, false);
    }

    private static String interfaceProblem(String name, boolean template) {
        if (plain(name, INTERFACE_MAX_BYTES, true)) {
            return null;
        }
        String common = commonProblem(name, INTERFACE_MAX_BYTES);
        if (common != null) {
            return common;
        }
        if (name.equals("all") || name.equals("default")) {
            // devinet_sysctl_register (sysctl_dev_name_is_allowed): the device would share their sysctls
            return "'all' and 'default' are reserved: they name the sysctls of every device and of new devices"
                    + " (/proc/sys/net/ipv4/conf/all, .../default)";
        }
        int percent = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || Character.isWhitespace(c) || c < 0x20 || c == 0x7f || c == '%' && !template) {
                return "contains " + describe(c) + " (not allowed: '/', ':', " + (template ? "" : "'%', ")
                        + "whitespace, control characters)";
            }
            if (c == '%') {
                if (i + 1 >= name.length() || name.charAt(i + 1) != 'd') {
                    return "'%' must be followed by 'd' (as in tap%d)";
                }
                if (++percent > 1) {
                    return "more than one %d";
                }
            }
        }
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            if (hasByteA0(cp)) {
                // lib/ctype.c marks 0xA0 a space, and dev_valid_name runs isspace() on each byte
                return "contains '" + new String(Character.toChars(cp)) + "' (U+" + String.format("%04X", cp)
                        + ", UTF-8 " + hex(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8))
                        + "): the kernel takes its byte 0xA0 for whitespace (isspace()) and would refuse the name"
                        + " (EINVAL)";
            }
            i += Character.charCount(cp);
        }
        return null;
    }

    /** Whether the UTF-8 of code point {@code cp} has byte 0xA0: a continuation byte of 6 bits 100000. */
    static boolean hasByteA0(int cp) {
        int continuations = cp < 0x80 ? 0 : cp < 0x800 ? 1 : cp < 0x10000 ? 2 : 3;
        for (int k = 0; k < continuations; k++) {
            if ((cp >> 6 * k & 0x3f) == 0x20) {
                return true;
            }
        }
        return false;
    }

    private static String hex(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        for (byte x : bytes) {
            b.append(b.length() == 0 ? "" : " ").append(String.format("%02X", x & 0xff));
        }
        return b.toString();
    }

    /**
     * Whether {@code name} is the common case that needs no further check: 1 to {@code maxBytes}
     * printable ASCII characters (no space; one byte each), no {@code /} (nor {@code :} or {@code %}
     * for an interface), and not {@code .} or {@code ..} (nor {@code all} or {@code default} for an
     * interface). One pass over the name, where the full
     * checks encode it to count its bytes and classify each character: validation runs interpreted
     * in a program's first topologies. Anything else is left to the full checks.
     */
    private static boolean plain(String name, int maxBytes, boolean iface) {
        if (name == null) {
            return false;
        }
        int n = name.length();
        if (n == 0 || n > maxBytes || n <= 2 && (name.equals(".") || name.equals(".."))) {
            return false;
        }
        if (iface && (n == 3 && name.equals("all") || n == 7 && name.equals("default"))) {
            return false;
        }
        for (char c : name.toCharArray()) { // one call, where charAt is several a char
            if (c <= ' ' || c >= 0x7f || c == '/' || iface && (c == ':' || c == '%')) {
                return false;
            }
        }
        return true;
    }

    /** The rules both kinds of name share: a file name of at most {@code maxBytes} bytes of UTF-8. */
    private static String commonProblem(String name, int maxBytes) {
        if (name == null || name.isEmpty()) {
            return "empty";
        }
        if (name.equals(".") || name.equals("..")) {
            return "'.' and '..' are reserved";
        }
        // getBytes writes '?' for what it cannot encode: two names would become one file or device
        String lossy = unencodable(name, StandardCharsets.UTF_8)
                ? "UTF-8"
                : unencodable(name, FILE_NAMES) ? FILE_NAMES.name() : null;
        if (lossy != null) {
            return "cannot be written in " + lossy
                    + (lossy.equals("UTF-8")
                            ? " (an unpaired surrogate)"
                            : ", the JVM's file name encoding (a UTF-8 locale takes it)");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        return bytes > maxBytes ? bytes + " bytes, at most " + maxBytes + " bytes allowed" : null;
    }

    /** Whether {@code name} has a character {@code cs} cannot encode. */
    static boolean unencodable(String name, Charset cs) {
        return !cs.newEncoder().canEncode(name);
    }

    private static String throwIf(String name, String problem) {
        if (name == null) {
            throw new IllegalArgumentException("the interface name is null");
        }
        if (problem != null) {
            throw new IllegalArgumentException("\"" + printable(name) + "\" is not an interface name: " + problem);
        }
        return name;
    }

    private static String describe(char c) {
        if (c == ' ') {
            return "' ' (space)";
        }
        if (c < 0x20 || c == 0x7f) {
            return String.format("a control character U+%04X", (int) c);
        }
        if (Character.isWhitespace(c)) {
            return String.format("whitespace U+%04X", (int) c);
        }
        return "'" + c + "'";
    }

    /** {@code s} with control characters as {@code \xNN}, safe to quote in a message. */
    public static String printable(String s) {
        if (s == null) {
            return "null";
        }
        int i = 0;
        while (i < s.length() && s.charAt(i) >= 0x20 && s.charAt(i) != 0x7f) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }
}
