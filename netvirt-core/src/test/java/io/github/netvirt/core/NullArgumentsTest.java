package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.RequiresRoot;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** A null namespace name gets the exception any unknown name gets, naming it, not a bare NullPointerException. */
@RequiresRoot
class NullArgumentsTest {

    @Test
    void aNullNamespaceIsNoSuchNamespace() {
        try (Topology t = Topology.create().ephemeral().ns("a").apply()) {
            assertThatThrownBy(() -> t.namespace(null))
                    .isInstanceOf(NoSuchElementException.class)
                    .hasMessage("no namespace null in this topology");
            assertThatThrownBy(() -> t.netlink(null))
                    .isInstanceOf(NoSuchElementException.class)
                    .hasMessage("no namespace null in this topology");
            assertThatThrownBy(() -> t.address(null))
                    .isInstanceOf(NoSuchElementException.class)
                    .hasMessage("no namespace null in this topology");
        }
    }
}
