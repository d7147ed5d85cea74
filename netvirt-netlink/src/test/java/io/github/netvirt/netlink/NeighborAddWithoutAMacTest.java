package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.RequiresRoot;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/**
 * A neighbour spec without a MAC (which names an entry for {@code neighDel}) given to {@code neighAdd}
 * or {@code neighReplace} is refused before the request goes: the kernel answered EINVAL ("No link
 * layer address given") and kept an entry of the address in state NONE all the same (helper C's audit,
 * s46).
 */
@RequiresRoot
class NeighborAddWithoutAMacTest extends OneNamespace {
    @Test
    void anAddWithoutAMacIsRefusedAndLeavesNoEntry() throws Exception {
        h.linkAdd(LinkSpec.veth("v0", "v1").up());
        InetAddress ip = InetAddress.getByName("10.5.0.9");
        assertThatThrownBy(() -> h.neighAdd(NeighborSpec.of("v0", ip, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10.5.0.9")
                .hasMessageContaining("MAC");
        assertThatThrownBy(() -> h.neighReplace(NeighborSpec.of("v0", ip, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MAC");
        assertThatThrownBy(() -> h.batch().neighAdd(NeighborSpec.of("v0", ip, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MAC");
        assertThat(h.neighList()).noneMatch(n -> ip.equals(n.ip()));
    }
}
