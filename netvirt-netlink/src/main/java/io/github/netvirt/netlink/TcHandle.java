package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.Nl;

/**
 * Traffic-control handles as {@code tc} writes them: 32 bits, a 16-bit major and a 16-bit minor
 * ({@code 1:0}, {@code ffff:}), plus the special parents {@link #ROOT} and {@link #INGRESS}.
 */
public final class TcHandle {
    /** {@code root}: the parent of a device's root (egress) qdisc. */
    public static final int ROOT = Nl.TC_H_ROOT;
    /** {@code ingress}: the parent of the ingress qdisc. */
    public static final int INGRESS = Nl.TC_H_INGRESS;
    /** {@code ffff:}: the handle of the ingress qdisc, and the parent of its filters. */
    public static final int INGRESS_QDISC = 0xffff0000;
    /** {@code ffff:fff2}: the parent of filters on a {@code clsact} qdisc's ingress hook ({@code tc filter add dev D ingress}). */
    public static final int CLSACT_INGRESS = 0xfffffff2;
    /** {@code ffff:fff3}: the parent of filters on a {@code clsact} qdisc's egress hook ({@code tc filter add dev D egress}). */
    public static final int CLSACT_EGRESS = 0xfffffff3;
    /** "Let the kernel choose" / "unspecified". */
    public static final int UNSPEC = 0;

    /**
     * The first of the majors the kernel gives a qdisc added without a handle ({@code 8000:} to
     * {@code fffe:}; {@code ffff:} is the ingress qdisc's), among which netvirt chooses its own root
     * qdiscs' handles.
     */
    public static final int FIRST_AUTO_MAJOR = 0x8000;

    /** How many majors there are from {@link #FIRST_AUTO_MAJOR} to {@code fffe:}. */
    public static final int AUTO_MAJORS = 0xfffe - FIRST_AUTO_MAJOR + 1;

    private TcHandle() {}

    /** {@code major:minor}. */
    public static int of(int major, int minor) {
        if (major < 0 || major > 0xffff || minor < 0 || minor > 0xffff) {
            throw new IllegalArgumentException("handle parts out of 0..ffff: " + major + ":" + minor);
        }
        return major << 16 | minor;
    }

    public static int major(int handle) {
        return handle >>> 16;
    }

    public static int minor(int handle) {
        return handle & 0xffff;
    }

    /** As {@code tc} prints it: {@code root}, {@code ingress}, {@code ffff:}, {@code 1:10}, {@code none}. */
    public static String format(int handle) {
        if (handle == ROOT) {
            return "root";
        }
        if (handle == INGRESS) {
            return "ingress";
        }
        if (handle == UNSPEC) {
            return "none";
        }
        if (handle == CLSACT_INGRESS) {
            return "ingress";
        }
        if (handle == CLSACT_EGRESS) {
            return "egress";
        }
        String major = Integer.toHexString(major(handle)) + ":";
        return minor(handle) == 0 ? major : major + Integer.toHexString(minor(handle));
    }

    /** Parses {@code tc}'s notation: {@code root}, {@code ingress}, {@code none}, {@code 1:}, {@code 1:10} (hex). */
    public static int parse(String s) {
        if (s == null) {
            throw new IllegalArgumentException("handle is null");
        }
        return switch (s) {
            case "root" -> ROOT;
            case "ingress" -> INGRESS;
            case "none" -> UNSPEC;
            default -> parseMajorMinor(s);
        };
    }

    private static int parseMajorMinor(String s) {
        int colon = s.indexOf(':');
        try {
            if (colon < 0) {
                throw new IllegalArgumentException("handle \"" + s + "\" is not MAJOR:MINOR");
            }
            int major = colon == 0 ? 0 : Integer.parseInt(s.substring(0, colon), 16);
            int minor = colon == s.length() - 1 ? 0 : Integer.parseInt(s.substring(colon + 1), 16);
            return of(major, minor);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("handle \"" + s + "\" is not hexadecimal MAJOR:MINOR", e);
        }
    }
}
