package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.RequiresRoot;
import org.junit.jupiter.api.Test;

/** A lent handle: close() does nothing, only its owner closes it. */
@RequiresRoot
class LendTest {

    @Test
    void aLentHandleIsClosedOnlyByItsOwner() throws Exception {
        Object owner = new Object();
        NetNamespace ns = NetNamespace.ephemeral();
        try {
            ns.lend(owner);
            ns.lend(owner); // again for the same owner: nothing
            ns.close();
            assertThat(ns.isOpen()).isTrue();
            assertThat(ns.call(NetNamespace::currentThreadId)).isEqualTo(ns.id());
            assertThatThrownBy(() -> ns.lend(new Object()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("lent out");
            assertThatThrownBy(() -> ns.close(new Object())).isInstanceOf(IllegalStateException.class);
            assertThat(ns.isOpen()).isTrue();
        } finally {
            ns.close(owner);
        }
        assertThat(ns.isOpen()).isFalse();
        ns.close(owner); // idempotent
    }

    @Test
    void anUnlentHandleClosesEitherWay() {
        NetNamespace a = NetNamespace.ephemeral();
        a.close(new Object());
        assertThat(a.isOpen()).isFalse();
        NetNamespace b = NetNamespace.ephemeral();
        b.close();
        assertThat(b.isOpen()).isFalse();
    }
}
