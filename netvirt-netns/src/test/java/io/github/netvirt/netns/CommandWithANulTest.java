package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.RequiresRoot;
import org.junit.jupiter.api.Test;

/**
 * A command with a NUL in one of its words, which no process can be given, is refused naming the
 * word, before anything starts: the JDK's "invalid null character in command" came wrapped as
 * "cannot start ... (netvirt runs it through setpriv and nsenter from util-linux)" (helper C's
 * audit, s46).
 */
@RequiresRoot
class CommandWithANulTest {
    @Test
    void aNulInAWordIsRefusedNamingIt() {
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            assertThatThrownBy(() -> ns.exec("echo", "a\0b"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("NUL")
                    .hasMessageContaining("word 1");
            assertThatThrownBy(() -> ns.start(new ProcessBuilder("ech\0o")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("NUL")
                    .hasMessageContaining("word 0");
            assertThat(ns.processes()).isEmpty();
        }
    }
}
