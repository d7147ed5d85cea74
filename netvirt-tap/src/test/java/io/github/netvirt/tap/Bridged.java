package io.github.netvirt.tap;

import io.github.netvirt.netlink.LinkSpec;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netlink.Sysctls;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.EachOf;
import java.time.Duration;

/** Two taps on one bridge inside an ephemeral namespace: frames written into one come out of the other. */
final class Bridged implements AutoCloseable {
    final NetNamespace ns;
    final TapDevice a;
    final TapDevice b;

    Bridged() {
        ns = NetNamespace.ephemeral();
        TapDevice ta = null;
        TapDevice tb = null;
        try (NetlinkHandle h = NetlinkHandle.open(ns)) {
            // no IPv6 chatter (router solicitations, MLD) on the new devices
            Sysctls.of(ns).set("ipv6/conf/default/disable_ipv6", "1");
            ta = TapDevice.tap("tpa").open(ns);
            tb = TapDevice.tap("tpb").open(ns);
            h.linkAdd(LinkSpec.bridge("tpbr").up());
            h.linkSetMaster("tpa", "tpbr");
            h.linkSetMaster("tpb", "tpbr");
            ta.up();
            tb.up();
        } catch (RuntimeException | Error e) {
            EachOf.closeAfter(e, ta, tb, ns);
            throw e;
        }
        a = ta;
        b = tb;
    }

    /** Both taps' read timeout. */
    Bridged readTimeout(Duration timeout) {
        a.setReadTimeout(timeout);
        b.setReadTimeout(timeout);
        return this;
    }

    @Override
    public void close() {
        a.close();
        b.close();
        ns.close();
    }
}
