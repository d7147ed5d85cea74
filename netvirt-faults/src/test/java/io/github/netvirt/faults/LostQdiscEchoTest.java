package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A fault's qdisc whose add the kernel acknowledged without echoing it ({@code NLM_F_ECHO}'s message
 * lost: EBADMSG from {@code qdiscCreate}) is known all the same, by the handle the fault chose: the
 * fault is in force and its heal removes the qdisc; one someone put on another device stays. A root
 * qdisc someone put on the device between the fault's check and its add is left, and the fault refused.
 */
@RequiresRoot
class LostQdiscEchoTest {
    private final String p = TestNames.unique("gM");
    private final String ns = p + "-a";
    private final String d0 = p + "d0";
    private final String d1 = p + "d1";
    private NetNamespace handle;

    @BeforeEach
    void script() {
        Ip.ok("netns", "add", ns);
        Ip.ok("-n", ns, "link", "add", d0, "type", "veth", "peer", "name", d1);
        Ip.ok("-n", ns, "link", "set", d0, "up");
        Ip.ok("-n", ns, "link", "set", d1, "up");
        handle = NetNamespace.open(ns);
    }

    @AfterEach
    void teardown() {
        OneShotFault.qdiscCreate = NetlinkHandle::qdiscCreate;
        handle.close();
        Ip.run("netns", "del", ns); // with whatever was left in it
    }

    /** The kernel makes the qdisc, its echo is lost. */
    private static void loseTheEcho() {
        OneShotFault.qdiscCreate = (h, s) -> {
            h.qdiscCreate(s);
            throw NetlinkException.refused("RTM_NEWQDISC add " + s + " (the test lost its echo)", Errno.EBADMSG);
        };
    }

    /** {@code tc -j qdisc show dev DEV} in the test's namespace. */
    private String qdiscs(String dev) {
        return RateLimitTest.tc("-n", ns, "-j", "qdisc", "show", "dev", dev);
    }

    @Test
    void aRateLimitWhoseAddsEchoIsLostIsInForceAndItsHealRemovesIt() {
        RateLimitTest.tc(
                "-n", ns, "qdisc", "add", "dev", d1, "root", "tbf", "rate", "1mbit", "burst", "32kbit", "latency",
                "400ms");
        String theirs = qdiscs(d1);
        loseTheEcho();
        Fault f = RateLimit.of(10_000_000).on(handle, d0);
        assertThat(qdiscs(d0)).contains("\"kind\":\"tbf\"");
        f.heal();
        assertThat(qdiscs(d0)).as("the fault's tbf, healed").doesNotContain("\"kind\":\"tbf\"");
        assertThat(qdiscs(d1)).as("someone's tbf on another device").isEqualTo(theirs);
    }

    @Test
    void aPortMirrorWhoseIngressQdiscsEchoIsLostIsInForceAndItsHealRemovesIt() {
        loseTheEcho();
        Fault f = PortMirror.ingress(handle, d0, d1);
        assertThat(RateLimitTest.tc("-n", ns, "filter", "show", "dev", d0, "ingress"))
                .contains("mirred (Egress Mirror to device " + d1 + ")");
        f.heal();
        assertThat(qdiscs(d0)).as("the mirror's ingress qdisc, healed").doesNotContain("\"kind\":\"ingress\"");
    }

    @Test
    void aRootQdiscPutOnTheDeviceJustBeforeTheFaultsAddStaysAndTheFaultIsRefused() {
        OneShotFault.qdiscCreate = (h, s) -> {
            RateLimitTest.tc(
                    "-n", ns, "qdisc", "add", "dev", d0, "root", "handle", "7:", "tbf", "rate", "1mbit", "burst",
                    "32kbit", "latency", "400ms");
            return h.qdiscCreate(s);
        };
        assertThatThrownBy(() -> RateLimit.of(10_000_000).on(handle, d0))
                .isInstanceOf(NetlinkException.class)
                .satisfies(e -> assertThat(((NetlinkException) e).isExists()).isTrue());
        assertThat(qdiscs(d0)).contains("\"kind\":\"tbf\"").contains("\"handle\":\"7:\"");
        assertThat(qdiscs(d1)).doesNotContain("\"kind\":\"tbf\"");
    }
}
