package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A second mirror of one port is refused (EEXIST) with a message that names the device, the
 * namespace and the likely cause, not only the kernel's request; the first mirror stays.
 */
@RequiresRoot
class SecondMirrorMessageTest {
    private final String host = TestNames.unique("fx");
    private NetNamespace ns;

    @BeforeEach
    void build() {
        ns = NetNamespace.create(host);
        Ip.ok("-n", host, "link", "add", "fx0", "type", "veth", "peer", "name", "fx1");
        Ip.ok("-n", host, "link", "set", "fx0", "up");
        Ip.ok("-n", host, "link", "set", "fx1", "up");
    }

    @AfterEach
    void remove() {
        ns.close();
        if (NetNamespace.exists(host)) {
            NetNamespace.delete(host);
        }
    }

    private String qdiscs() {
        return Ip.exec(List.of("tc", "-n", host, "qdisc", "show", "dev", "fx0"))
                .ok()
                .out();
    }

    @Test
    void aSecondMirrorOfAPortSaysWhy() {
        try (PortMirror first = PortMirror.ingress(ns, "fx0", "fx1")) {
            String before = qdiscs();
            assertThatThrownBy(() -> PortMirror.ingress(ns, "fx0", "lo"))
                    .isInstanceOf(NetlinkException.class)
                    .satisfies(
                            e -> assertThat(((NetlinkException) e).isExists()).isTrue())
                    .hasMessageContaining("fx0 in " + ns)
                    .hasMessageContaining("has an ingress qdisc already");
            assertThat(qdiscs()).isEqualTo(before);
            assertThat(first.isActive()).isTrue();
        }
    }
}
