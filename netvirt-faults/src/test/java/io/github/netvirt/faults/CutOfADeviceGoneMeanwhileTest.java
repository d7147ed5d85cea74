package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.Journal;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A cut whose device is deleted between its lookup and its down (here: by the namespace's journal,
 * which the cut asks to note the down in between) fails with ENODEV naming the device and the
 * namespace, and saying it is gone, as a cut of a device that was never there does.
 */
@RequiresRoot
class CutOfADeviceGoneMeanwhileTest {
    private final String host = TestNames.unique("sa8");
    private NetNamespace ns;

    @BeforeEach
    void script() {
        Ip.ok("netns", "add", host);
        Ip.ok("-n", host, "link", "add", "sa8c0", "up", "type", "veth", "peer", "name", "sa8c1");
        ns = NetNamespace.open(host);
    }

    @AfterEach
    void remove() {
        ns.close();
        Ip.run("netns", "del", host);
    }

    @Test
    void theEnodevNamesTheDeviceAndItsNamespace() {
        int index = Integer.parseInt(Ip.ok("-n", host, "-o", "link", "show", "dev", "sa8c0")
                .split(":")[0]
                .trim());
        Journal.attach(ns, LinkDownJournal.of((ifindex, name) -> {
            Ip.ok("-n", host, "link", "del", name); // the race, made certain
            return Journal.Note.NONE;
        }));
        assertThatThrownBy(() -> LinkCut.cut(ns, "sa8c0"))
                .isInstanceOf(NetlinkException.class)
                .satisfies(e -> assertThat(((NetlinkException) e).isNoDevice()).isTrue())
                .hasMessageContaining("\"sa8c0\" (ifindex " + index + ")")
                .hasMessageContaining(ns.toString())
                .hasMessageContaining("is gone");
        assertThat(Ip.ok("-n", host, "-o", "link")).doesNotContain("sa8c");
    }
}
