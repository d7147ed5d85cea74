package io.github.netvirt.tap;

import io.github.netvirt.netns.NetNamespace;

/** Two taps on one bridge inside an ephemeral namespace: frames written into one come out of the other. */
final class Bridged implements AutoCloseable {
    final NetNamespace ns;
    final TapDevice a;
    final TapDevice b;

    Bridged() throws Exception {
        ns = NetNamespace.ephemeral();
        TapDevice ta = null;
        TapDevice tb = null;
        try {
            Kernel.quietIpv6(ns);
            ta = TapDevice.tap("tpa").open(ns);
            tb = TapDevice.tap("tpb").open(ns);
            Kernel.ip(ns, "link", "add", "tpbr", "type", "bridge");
            Kernel.ip(ns, "link", "set", "tpa", "master", "tpbr");
            Kernel.ip(ns, "link", "set", "tpb", "master", "tpbr");
            Kernel.up(ns, "tpa");
            Kernel.up(ns, "tpb");
            Kernel.up(ns, "tpbr");
        } catch (Exception | Error e) {
            if (ta != null) {
                ta.close();
            }
            if (tb != null) {
                tb.close();
            }
            ns.close();
            throw e;
        }
        a = ta;
        b = tb;
    }

    @Override
    public void close() {
        a.close();
        b.close();
        ns.close();
    }
}
