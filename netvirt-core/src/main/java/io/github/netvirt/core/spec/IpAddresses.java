package io.github.netvirt.core.spec;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Strict parsing of IP literals: never a DNS lookup, never a scope id. */
public final class IpAddresses {
    private IpAddresses() {
    }

    public static InetAddress parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty IP address");
        }
        if (text.indexOf(':') >= 0) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                    throw new IllegalArgumentException("malformed IPv6 address \"" + text + "\"");
                }
            }
            try {
                InetAddress a = InetAddress.getByName(text); // a literal: no lookup
                if (!(a instanceof Inet6Address)) {
                    // "::ffff:1.2.3.4" comes back as an Inet4Address
                    throw new IllegalArgumentException("IPv4-mapped address \"" + text + "\": write it as IPv4");
                }
                return a;
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("malformed IPv6 address \"" + text + "\"");
            }
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("malformed IPv4 address \"" + text + "\"");
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("malformed IPv4 address \"" + text + "\"");
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                throw new IllegalArgumentException("malformed IPv4 address \"" + text + "\": " + v + " > 255");
            }
            b[i] = (byte) v;
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The address as iproute2 prints it (compressed IPv6, no host name). */
    public static String format(InetAddress a) {
        if (a instanceof Inet4Address) {
            return a.getHostAddress();
        }
        byte[] b = a.getAddress();
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) {
            w[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (w[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && w[j] == 0) {
                j++;
            }
            if (j - i > bestLen && j - i > 1) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLen - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(w[i]));
        }
        return s.toString();
    }
}
