package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import org.junit.jupiter.api.Test;

/** A closed handle refuses every use; close() is idempotent (its races: {@link CloseRaceTest}). */
@RequiresRoot
class HandleCloseTest {
    @Test
    void aClosedHandleIsClosedForEveryUse() {
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            NetlinkHandle h = NetlinkHandle.open(ns);
            h.close();
            h.close();
            assertThatThrownBy(h::linkList)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
            assertThatThrownBy(() -> h.linkSetUp("lo")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> h.batch().linkSetUp("lo").execute()).isInstanceOf(IllegalStateException.class);
            assertThat(h.toString()).contains("closed");
        }
    }
}
