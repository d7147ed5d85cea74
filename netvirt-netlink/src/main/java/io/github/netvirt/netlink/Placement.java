package io.github.netvirt.netlink;

import io.github.netvirt.netns.NetNamespace;

/**
 * The namespace a new link (or a veth's peer) is created in ({@code IFLA_NET_NS_FD}): one netvirt
 * holds open while the request is sent, or a caller's raw namespace fd ({@code ns} null).
 */
record Placement(int fd, NetNamespace ns) {
    static Placement of(NetNamespace ns) {
        return new Placement(ns.fd(), ns);
    }

    static Placement ofFd(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("bad namespace fd " + fd);
        }
        return new Placement(fd, null);
    }
}
