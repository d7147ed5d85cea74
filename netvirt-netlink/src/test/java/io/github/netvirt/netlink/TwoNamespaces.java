package io.github.netvirt.netlink;

import io.github.netvirt.netns.NetNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A test's fixture: ephemeral namespaces a and b with a handle in each, made before each test, closed after it. */
abstract class TwoNamespaces {
    NetNamespace a;
    NetNamespace b;
    NetlinkHandle ha;
    NetlinkHandle hb;

    @BeforeEach
    void openNamespaces() {
        a = NetNamespace.ephemeral();
        b = NetNamespace.ephemeral();
        ha = NetlinkHandle.open(a);
        hb = NetlinkHandle.open(b);
    }

    @AfterEach
    void closeNamespaces() {
        ha.close();
        hb.close();
        a.close();
        b.close();
    }
}
