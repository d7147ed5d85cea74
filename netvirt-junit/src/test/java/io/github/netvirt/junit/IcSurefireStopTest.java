package io.github.netvirt.junit;

import io.github.netvirt.core.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** The audit's probe (not a CI test): -Dic.junit=ROOTNAME; a surefire run stopped by SIGTERM at a random moment. */
@NetvirtTest
@EnabledIfSystemProperty(named = "ic.junit", matches = ".+")
class IcSurefireStopTest {
    @Network
    static TestNetwork shared = TestNetwork.of(Topology.create()
            .ns("a")
            .veth("e0", "b", "e0")
            .addr("10.218.1.1/24")
            .ns("b")
            .dev("e0")
            .addr("10.218.1.2/24")
            .ns("a")
            .veth("up0", Topology.ROOT, System.getProperty("ic.junit", "x") + "s"));

    @Network
    TestNetwork each = TestNetwork.of(Topology.create()
            .ns("c")
            .veth("e0", "d", "e0")
            .addr("10.218.2.1/24")
            .ns("d")
            .dev("e0")
            .addr("10.218.2.2/24")
            .ns("c")
            .veth("up1", Topology.ROOT, System.getProperty("ic.junit", "x") + "e"));

    @Test
    void one() throws Exception {
        shared.namespace("a").start(new ProcessBuilder("sleep", "1000"));
        Thread.sleep(3000);
    }

    @Test
    void two() throws Exception {
        each.namespace("c").start(new ProcessBuilder("sleep", "1000"));
        Thread.sleep(3000);
    }

    @Test
    void three() throws Exception {
        Thread.sleep(3000);
    }
}
