package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GenericLinkSpecTest {
    @Test
    void aKindIsLettersDigitsAndUnderscoreDotDash() {
        assertThat(LinkSpec.generic("x0", "ip6_vti.a-b").kind()).isEqualTo("ip6_vti.a-b");
        for (String bad : new String[] {"", "a b", "a/b", "x".repeat(65), "k\u00e9"}) {
            assertThatThrownBy(() -> LinkSpec.generic("x0", bad), bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("bad link kind");
        }
        assertThatThrownBy(() -> LinkSpec.generic("x0", null)).isInstanceOf(IllegalArgumentException.class);
    }
}
