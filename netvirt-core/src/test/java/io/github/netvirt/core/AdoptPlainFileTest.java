package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A plain file under {@code /run/netns} at the name a topology adopts (one left without its bind
 * mount, or put there by something else) is no network namespace: the description is refused
 * before anything changes, as for a name with nothing there.
 */
@RequiresRoot
class AdoptPlainFileTest {
    private final String p = TestNames.unique("se8") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    @Test
    void aPlainFileAtTheAdoptedNameIsRefusedBeforeAnythingChanges() throws Exception {
        Path file = Path.of("/run/netns", p + "file");
        Files.createDirectories(file.getParent());
        Files.createFile(file);
        try {
            // before: validation passed (the name exists), and apply() threw IllegalArgumentException
            // "cannot adopt netns ...: ... is not a mounted network namespace" from opening it
            assertThatThrownBy(() -> Topology.create()
                            .prefix(p)
                            .adopt("c", p + "file")
                            .veth("c0", "srv", "s0")
                            .ns("srv")
                            .apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("adopted namespace c (netns " + p + "file): /run/netns/" + p
                            + "file is not a network namespace");
            assertThat(Reference.namespaces(p)).containsExactly(p + "file");
            assertThat(Files.size(file)).isZero();
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
