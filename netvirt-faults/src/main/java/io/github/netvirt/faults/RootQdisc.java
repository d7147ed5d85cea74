package io.github.netvirt.faults;

import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netlink.QdiscSpec;
import io.github.netvirt.netns.NetNamespace;
import java.util.function.IntFunction;

/**
 * A root qdisc put on a device by {@link RateLimit#on} or {@link Netem#on}, in force until
 * {@link #heal()} removes it ({@code tc qdisc del dev DEVICE root}), which gives the device its
 * default qdisc back. It is added only over the kernel's default qdisc ({@code tc qdisc add}, not
 * {@code replace}): a root qdisc of another fault, link condition or program is left alone and the
 * fault refused (EEXIST), since the heal could not give it back. Every request goes by the device's ifindex: while the namespace is open it
 * names the device the qdisc was put on, not one made since under the same name. Healing does
 * nothing when the namespace is closed or the device or its root qdisc is gone already. Thread-safe.
 */
final class RootQdisc extends OneShotFault {
    private final NetNamespace ns;
    private final int index;

    private RootQdisc(String kind, NetNamespace ns, String device, int index) {
        super(kind, device);
        this.ns = ns;
        this.index = index;
    }

    /** Puts {@code spec} of its ifindex on {@code device} in {@code ns} as its root qdisc. */
    static RootQdisc add(String kind, NetNamespace ns, String device, IntFunction<QdiscSpec<?>> spec) {
        try (NetlinkHandle h = NetlinkHandle.open(ns)) {
            int index = h.linkIndex(device);
            try {
                h.qdiscAdd(spec.apply(index));
            } catch (NetlinkException e) {
                throw e.isExists()
                        ? e.withRequest(e.request() + ": " + device + " in " + ns + " has a root qdisc already")
                        : e;
            }
            return new RootQdisc(kind, ns, device, index);
        }
    }

    @Override
    void undo() {
        inside(ns, h -> h.qdiscDelIfPresent(QdiscSpec.root(index)));
    }
}
