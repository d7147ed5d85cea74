package io.github.netvirt.faults;

import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netlink.QdiscSpec;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.sys.Errno;

/**
 * A root qdisc put on a device by {@link RateLimit#on} or {@link Netem#on}, in force until
 * {@link #heal()} removes it ({@code tc qdisc del dev DEVICE root}), which gives the device its
 * default qdisc back. Healing does nothing when the namespace is closed or the device or its root
 * qdisc is gone already. Thread-safe.
 */
final class RootQdisc extends OneShotFault {
    private final NetNamespace ns;
    private final String device;

    private RootQdisc(String kind, NetNamespace ns, String device) {
        super(kind, device);
        this.ns = ns;
        this.device = device;
    }

    /** Replaces the root qdisc of {@code device} in {@code ns} by {@code spec}. */
    static RootQdisc replace(String kind, NetNamespace ns, String device, QdiscSpec<?> spec) {
        try (NetlinkHandle h = NetlinkHandle.open(ns)) {
            h.qdiscReplace(spec);
        }
        return new RootQdisc(kind, ns, device);
    }

    @Override
    void undo() {
        try {
            inside(ns, h -> h.qdiscDel(QdiscSpec.root(device)));
        } catch (NetlinkException e) {
            // ENOENT: only the default qdisc is there; ENODEV: the device went, and its qdiscs with it
            if (!e.is(Errno.ENOENT) && !e.is(Errno.ENODEV)) {
                throw e;
            }
        }
    }
}
