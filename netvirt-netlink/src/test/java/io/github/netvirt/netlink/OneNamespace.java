package io.github.netvirt.netlink;

import io.github.netvirt.netns.NetNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A test's fixture: an ephemeral namespace and a handle in it, made before each test, closed after it. */
abstract class OneNamespace {
    NetNamespace ns;
    NetlinkHandle h;

    @BeforeEach
    void openNamespace() {
        ns = NetNamespace.ephemeral();
        h = NetlinkHandle.open(ns);
    }

    @AfterEach
    void closeNamespace() {
        h.close();
        ns.close();
    }
}
