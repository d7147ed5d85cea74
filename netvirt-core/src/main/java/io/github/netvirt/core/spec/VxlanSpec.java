package io.github.netvirt.core.spec;

import java.net.InetAddress;

/**
 * The vxlan-specific settings: VNI, the remote peer or multicast group (or neither, for an FDB
 * driven device), the local address, the UDP destination port and the lower device.
 */
public record VxlanSpec(int vni, InetAddress remote, InetAddress group, InetAddress local, int dstPort, String lower) {
    /** IANA's port; iproute2 asks for {@code dstport} explicitly because the kernel's default is 8472. */
    public static final int IANA_PORT = 4789;
}
