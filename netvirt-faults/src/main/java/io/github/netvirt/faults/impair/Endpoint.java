package io.github.netvirt.faults.impair;

import io.github.netvirt.netns.Names;
import io.github.netvirt.netns.NetNamespace;
import java.net.InetAddress;
import java.util.Objects;

/**
 * One side of an {@link ImpairedLink}: the namespace, the name of the TAP device to create there
 * (checked by {@link Names#checkInterfaceTemplate}: at most 15 bytes; a template such as
 * {@code imp%d} is filled in by the kernel, and so is an empty name, with the kernel's default
 * template {@code tap%d}; {@link ImpairedLink#deviceA()} tells the name), and the address
 * to give it (null for none).
 */
public record Endpoint(NetNamespace namespace, String device, InetAddress address, int prefixLength) {
    public Endpoint {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(device, "device");
        Names.checkInterfaceTemplate(device);
        if (address != null && (prefixLength < 0 || prefixLength > address.getAddress().length * 8)) {
            throw new IllegalArgumentException(
                    "bad prefix length " + prefixLength + " for " + address.getHostAddress());
        }
    }

    public static Endpoint of(NetNamespace namespace, String device, InetAddress address, int prefixLength) {
        return new Endpoint(namespace, device, address, prefixLength);
    }
}
