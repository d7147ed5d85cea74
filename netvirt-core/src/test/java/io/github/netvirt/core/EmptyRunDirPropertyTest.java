package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code -Dnetvirt.run.dir=} (empty, or blank) is refused with a message naming the property,
 * before the kernel is touched, instead of "cannot create the crash record directory : ENOENT".
 */
class EmptyRunDirPropertyTest {
    private final String p = TestNames.unique("ge") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    private String was;

    @BeforeEach
    void remember() {
        was = System.getProperty(RunDir.PROPERTY);
    }

    @AfterEach
    void restore() {
        if (was == null) {
            System.clearProperty(RunDir.PROPERTY);
        } else {
            System.setProperty(RunDir.PROPERTY, was);
        }
    }

    @Test
    void anEmptyOrBlankRunDirIsRefusedNamingTheProperty() {
        for (String value : new String[] {"", "  "}) {
            System.setProperty(RunDir.PROPERTY, value);
            assertThatThrownBy(RunDir::current)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("netvirt.run.dir")
                    .hasMessageContaining("-Dnetvirt.run.dir=DIR");
        }
    }

    @Test
    @RequiresRoot
    void aNamedApplyWithAnEmptyRunDirIsRefusedBeforeTheKernel() {
        System.setProperty(RunDir.PROPERTY, "");
        assertThatThrownBy(() -> Topology.create()
                        .prefix(p)
                        .ns("a")
                        .veth("eth0", "b", "eth0")
                        .ns("b")
                        .apply())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("netvirt.run.dir");
        assertThat(Reference.namespaces(p)).isEmpty();
        assertThat(Ip.ok("netns", "list")).doesNotContain(p);
    }

    @Test
    @RequiresRoot
    void cleanupWithAnEmptyRunDirIsRefused() {
        System.setProperty(RunDir.PROPERTY, " ");
        assertThatThrownBy(Topology::cleanup)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("netvirt.run.dir");
    }
}
