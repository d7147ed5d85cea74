package io.github.netvirt.core.spec;

import io.github.netvirt.netlink.IpPrefix;
import java.net.InetAddress;

/**
 * A route in namespace {@code ns}: to {@code destination} (a network; {@code 0.0.0.0/0} or
 * {@code ::/0} is the default route) via {@code gateway} and/or out of {@code dev} (either may be null,
 * not both).
 */
public record NamespaceRoute(String ns, IpPrefix destination, InetAddress gateway, String dev) {

    public boolean isDefault() {
        return destination.prefixLength() == 0;
    }

    /** The iproute2 arguments after {@code ip route add}. */
    public String iproute2() {
        StringBuilder s = new StringBuilder(isDefault() ? "default" : destination.toString());
        if (gateway != null) {
            s.append(" via ").append(IpPrefix.format(gateway));
        }
        if (dev != null) {
            s.append(" dev ").append(TopologySpec.shellWord(dev));
        }
        return s.toString();
    }
}
