package io.github.netvirt.netlink;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IP address with a prefix length, as {@code ip} writes it: {@code 10.0.1.1/24}, {@code fd00::1/64}.
 * The address keeps its host bits (an interface address); {@link #network()} clears them.
 *
 * @param address an IPv4 or IPv6 address
 * @param prefixLength 0..32 for IPv4, 0..128 for IPv6
 */
public record IpPrefix(InetAddress address, int prefixLength) {
    public IpPrefix {
        if (address == null) {
            throw new IllegalArgumentException("address is null");
        }
        int max = address instanceof Inet4Address ? 32 : 128;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException(
                    "prefix length " + prefixLength + " out of 0.." + max + " for " + format(address));
        }
    }

    // Written out: a record's generated equals and hashCode go through method handles, several times
    // slower while the JVM still interprets them (a topology's first applies validate and plan with
    // sets of prefixes).
    @Override
    public boolean equals(Object o) {
        return o instanceof IpPrefix p && prefixLength == p.prefixLength && address.equals(p.address);
    }

    @Override
    public int hashCode() {
        return 31 * address.hashCode() + prefixLength;
    }

    /**
     * Parses {@code ADDRESS/LEN} or a bare address (a host prefix: /32 or /128). Only numeric
     * addresses are accepted: nothing is looked up in DNS. Whitespace around the text is ignored;
     * whitespace inside it ({@code 10.0.0.1 /24}) is refused.
     */
    public static IpPrefix parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty address");
        }
        byte[] quad = new byte[4];
        int quadLength = dottedQuad(text, quad, true);
        if (quadLength >= 0) {
            return new IpPrefix(ipv4(quad), quadLength);
        }
        String t = trimmed(text);
        int slash = t.indexOf('/');
        InetAddress a = parseAddress(slash < 0 ? t : t.substring(0, slash));
        int max = a instanceof Inet4Address ? 32 : 128;
        if (slash < 0) {
            return new IpPrefix(a, max);
        }
        String l = t.substring(slash + 1);
        if (!isShortNumber(l)) {
            throw new IllegalArgumentException("malformed prefix length in \"" + text + "\"");
        }
        int len = Integer.parseInt(l);
        if (len > max) {
            throw new IllegalArgumentException(
                    "prefix length " + len + " too long in \"" + text + "\" (at most " + max + ")");
        }
        return new IpPrefix(a, len);
    }

    /**
     * Parses a numeric IPv4 or IPv6 address: never a DNS lookup, never a scope id. Whitespace around
     * it is ignored, whitespace inside it refused.
     */
    public static InetAddress parseAddress(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty IP address");
        }
        byte[] quad = new byte[4];
        if (dottedQuad(text, quad, false) >= 0) {
            return ipv4(quad);
        }
        String t = trimmed(text);
        if (t.indexOf(':') >= 0) {
            for (int i = 0; i < t.length(); i++) {
                char c = t.charAt(i);
                if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                    throw new IllegalArgumentException("malformed IPv6 address \"" + text + "\"");
                }
            }
            try {
                InetAddress a = InetAddress.getByName(t); // a literal: no lookup
                if (!(a instanceof Inet6Address)) {
                    // "::ffff:1.2.3.4" comes back as an Inet4Address
                    throw new IllegalArgumentException("IPv4-mapped address \"" + text + "\": write it as IPv4");
                }
                return a;
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("malformed IPv6 address \"" + text + "\"");
            }
        }
        String[] parts = t.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("malformed IPv4 address \"" + text + "\"");
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (!isShortNumber(part)) {
                throw new IllegalArgumentException("malformed IPv4 address \"" + text + "\"");
            }
            int v = Integer.parseInt(part);
            if (v > 255) {
                throw new IllegalArgumentException("malformed IPv4 address \"" + text + "\": " + v + " > 255");
            }
            b[i] = (byte) v;
        }
        return ipv4(b);
    }

    /**
     * {@code text} without the whitespace around it; refused with whitespace inside, which iproute2
     * would read as two words (and the address part of {@code 10.0.0.1 /24} used to be trimmed alone).
     */
    private static String trimmed(String text) {
        String t = text.trim();
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                throw new IllegalArgumentException(
                        "malformed address \"" + text + "\": whitespace inside (iproute2 would read two words)");
            }
        }
        return t;
    }

    /**
     * The common case in one pass over {@code text}: exactly {@code A.B.C.D}, or {@code A.B.C.D/LEN}
     * when {@code withLength}, each number one to three ASCII digits, octets at most 255, LEN at most
     * 32. Fills {@code b} and returns the prefix length (32 without one); -1 for anything else, which
     * the general parse then accepts or refuses with its message. (The general parse trims, splits and
     * takes substrings: a topology's first applies run it interpreted.)
     */
    private static int dottedQuad(String text, byte[] b, boolean withLength) {
        int part = 0;
        int v = 0;
        int digits = 0;
        for (char c : text.toCharArray()) { // one call, where charAt is several a char
            if (c >= '0' && c <= '9') {
                if (++digits > 3) {
                    return -1;
                }
                v = v * 10 + (c - '0');
            } else if ((c == '.' && part < 3 || c == '/' && part == 3 && withLength) && digits > 0 && v <= 255) {
                b[part++] = (byte) v;
                v = 0;
                digits = 0;
            } else {
                return -1;
            }
        }
        if (digits == 0 || part < 3) {
            return -1;
        }
        if (part == 3) {
            if (v > 255) {
                return -1;
            }
            b[3] = (byte) v;
            return 32;
        }
        return v <= 32 ? v : -1;
    }

    private static InetAddress ipv4(byte[] b) {
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One to three ASCII digits (Integer.parseInt would also take other scripts' digits). */
    private static boolean isShortNumber(String s) {
        if (s.isEmpty() || s.length() > 3) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    public static IpPrefix of(InetAddress address, int prefixLength) {
        return new IpPrefix(address, prefixLength);
    }

    public boolean isIpv4() {
        return address instanceof Inet4Address;
    }

    public boolean isIpv6() {
        return address instanceof Inet6Address;
    }

    /** The prefix with host bits cleared: {@code 10.0.1.0/24} for {@code 10.0.1.1/24}. */
    public IpPrefix network() {
        byte[] b = address.getAddress();
        for (int i = 0; i < b.length; i++) {
            int keep = Math.max(0, Math.min(8, prefixLength - 8 * i));
            b[i] &= (byte) (0xff << (8 - keep));
        }
        try {
            return new IpPrefix(InetAddress.getByAddress(b), prefixLength);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The subnet's broadcast address as the kernel routes it ({@code fib_add_ifaddr}): every host bit set,
     * for an IPv4 prefix shorter than /31 whose network is not 0.0.0.0; null for a /31 or /32 (RFC 3021),
     * for a network of 0.0.0.0 (no route to the subnet at all: {@code ipv4_is_zeronet}, {@code addr == 0}
     * since 2019, so 0.1.0.1/16 has 0.1.255.255) and for IPv6, which has no broadcast.
     */
    public InetAddress broadcast() {
        if (!isIpv4() || prefixLength >= 31) {
            return null;
        }
        byte[] b = network().address().getAddress();
        if ((b[0] | b[1] | b[2] | b[3]) == 0) {
            return null;
        }
        for (int i = 0; i < 4; i++) {
            b[i] |= (byte) (0xff >>> Math.max(0, Math.min(8, prefixLength - 8 * i)));
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True if {@code a} lies within this prefix. */
    public boolean contains(InetAddress a) {
        if ((a instanceof Inet4Address) != isIpv4()) {
            return false;
        }
        return new IpPrefix(a, prefixLength).network().equals(network());
    }

    /**
     * An address as iproute2 prints it: dotted quad, or IPv6 in the RFC 5952 short form
     * ({@code fd00::1}, not Java's {@code fd00:0:0:0:0:0:0:1}).
     */
    public static String format(InetAddress a) {
        if (a instanceof Inet4Address) {
            return a.getHostAddress();
        }
        byte[] b = a.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return format(address) + "/" + prefixLength;
    }
}
