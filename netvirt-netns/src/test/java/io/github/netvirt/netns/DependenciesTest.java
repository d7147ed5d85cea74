package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * What netvirt-netns brings to its users' class path (and through it every netvirt module's): JNA,
 * and not jna-platform, a 1.4 MB jar of Windows, macOS and Linux bindings netvirt does not use.
 * No root needed.
 */
class DependenciesTest {
    @Test
    void jnaPlatformIsNotADependency() {
        assertThatThrownBy(() -> Class.forName("com.sun.jna.platform.linux.LibC"))
                .isInstanceOf(ClassNotFoundException.class);
    }
}
