package io.github.netvirt.core.spec;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An address with a prefix length, as {@code ip address add 10.0.1.1/24} writes it. The address
 * keeps its host bits: {@code 10.0.1.1/24} is an interface address, not only a network.
 */
public record IpPrefix(InetAddress address, int length) {

    public IpPrefix {
        if (address == null) {
            throw new IllegalArgumentException("address must not be null");
        }
        int max = address instanceof Inet4Address ? 32 : 128;
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("prefix length " + length + " out of range 0.." + max
                    + " for " + address.getHostAddress());
        }
    }

    /** Parses {@code a.b.c.d/len} or {@code ipv6/len}; without {@code /len} the host length (32 or 128). */
    public static IpPrefix parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty address");
        }
        int slash = text.indexOf('/');
        String addr = slash < 0 ? text : text.substring(0, slash);
        InetAddress a = IpAddresses.parse(addr);
        int max = a instanceof Inet4Address ? 32 : 128;
        int len = max;
        if (slash >= 0) {
            String l = text.substring(slash + 1);
            if (l.isEmpty() || l.length() > 3 || !l.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("malformed prefix length in \"" + text + "\"");
            }
            len = Integer.parseInt(l);
            if (len > max) {
                throw new IllegalArgumentException("prefix length " + len + " too long in \"" + text
                        + "\" (at most " + max + ")");
            }
        }
        return new IpPrefix(a, len);
    }

    public boolean isIpv4() {
        return address instanceof Inet4Address;
    }

    public boolean isIpv6() {
        return address instanceof Inet6Address;
    }

    /** The network part only: {@code 10.0.1.0/24} for {@code 10.0.1.1/24}. */
    public IpPrefix network() {
        byte[] b = address.getAddress();
        for (int i = 0; i < b.length; i++) {
            int keep = Math.max(0, Math.min(8, length - i * 8));
            b[i] &= (byte) (0xff << (8 - keep));
        }
        try {
            return new IpPrefix(InetAddress.getByAddress(b), length);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True when {@code other} lies inside this prefix. */
    public boolean contains(InetAddress other) {
        if (other.getAddress().length != address.getAddress().length) {
            return false;
        }
        return new IpPrefix(other, length).network().equals(network());
    }

    @Override
    public String toString() {
        return IpAddresses.format(address) + "/" + length;
    }
}
