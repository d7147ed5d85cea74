package io.github.netvirt.faults.impair;

import io.github.netvirt.netns.NetNamespace;
import java.net.InetAddress;
import java.util.Objects;

/**
 * One side of an {@link ImpairedLink}: the namespace, the name of the TAP device to create there
 * (at most 15 bytes; a template such as {@code imp%d} is filled in by the kernel), and the address
 * to give it (null for none).
 */
public record Endpoint(NetNamespace namespace, String device, InetAddress address, int prefixLength) {
    public Endpoint {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(device, "device");
        if (device.isEmpty() || device.getBytes(java.nio.charset.StandardCharsets.US_ASCII).length > 15
                || device.equals(".") || device.equals("..") || device.chars().anyMatch(c -> c == '/' || c == ':' || c <= ' ' || c > 126)) {
            throw new IllegalArgumentException("invalid interface name \"" + device + "\" (1-15 ASCII bytes, no '/', ':' or space)");
        }
        if (address != null && (prefixLength < 0 || prefixLength > address.getAddress().length * 8)) {
            throw new IllegalArgumentException("bad prefix length " + prefixLength + " for " + address.getHostAddress());
        }
    }

    public static Endpoint of(NetNamespace namespace, String device, InetAddress address, int prefixLength) {
        return new Endpoint(namespace, device, address, prefixLength);
    }
}
