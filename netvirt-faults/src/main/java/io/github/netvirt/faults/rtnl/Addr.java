package io.github.netvirt.faults.rtnl;

import java.net.InetAddress;

/** An address as an {@code RTM_GETADDR} dump reports it. {@code scope} 0 is global, 254 host. */
public record Addr(int ifindex, InetAddress address, int prefixLength, int scope) {
    public boolean isGlobal() {
        return scope == 0;
    }
}
