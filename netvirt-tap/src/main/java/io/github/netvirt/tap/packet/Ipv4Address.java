package io.github.netvirt.tap.packet;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** IPv4 addresses as an {@code int} in network order ({@code 10.0.0.1} is {@code 0x0a000001}). */
public final class Ipv4Address {
    private Ipv4Address() {}

    public static int of(Inet4Address a) {
        byte[] b = a.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    /** Parses a dotted quad, never a host name. */
    public static int parse(String dotted) {
        String[] p = dotted.split("\\.", -1);
        if (p.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: \"" + dotted + "\"");
        }
        int v = 0;
        for (String s : p) {
            int n;
            try {
                n = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an IPv4 address: \"" + dotted + "\"", e);
            }
            if (n < 0 || n > 255 || s.isEmpty() || s.length() > 3) {
                throw new IllegalArgumentException("not an IPv4 address: \"" + dotted + "\"");
            }
            v = v << 8 | n;
        }
        return v;
    }

    public static Inet4Address toInet(int address) {
        try {
            return (Inet4Address) InetAddress.getByAddress(
                    new byte[] {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address
                    });
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    public static String format(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 0xff) + "." + (address >>> 8 & 0xff) + "." + (address & 0xff);
    }
}
