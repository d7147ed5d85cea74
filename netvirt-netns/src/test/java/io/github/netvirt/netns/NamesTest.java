package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The one check of namespace and interface names: pure logic, no kernel. */
class NamesTest {
    @Test
    void interfaceNamesFollowDevValidNameAndRefuseTemplates() {
        for (String ok : new String[] {"eth0", "a-b_c.d", "tp-exactly-15by", "é"}) {
            assertThat(Names.checkInterface(ok)).isEqualTo(ok);
        }
        assertThat(Names.interfaceProblem("")).isEqualTo("empty");
        assertThat(Names.interfaceProblem("..")).contains("reserved");
        assertThat(Names.interfaceProblem("a-name-of-16-by")).isNull();
        assertThat(Names.interfaceProblem("a-name-of-16-byt")).isEqualTo("16 bytes, at most 15 bytes allowed");
        assertThat(Names.interfaceProblem("ééééééé")).isNull();
        assertThat(Names.interfaceProblem("éééééééé")).startsWith("16 bytes");
        assertThat(Names.interfaceProblem("a/b")).contains("'/'");
        assertThat(Names.interfaceProblem("a:b")).contains("':'");
        assertThat(Names.interfaceProblem("a b")).contains("' ' (space)");
        assertThat(Names.interfaceProblem("a\tb")).contains("U+0009");
        assertThat(Names.interfaceProblem("tap%d")).contains("'%'");
        assertThatThrownBy(() -> Names.checkInterface("a\nb"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"a\\x0ab\" is not an interface name: contains a control character U+000A"
                        + " (not allowed: '/', ':', '%', whitespace, control characters)");
    }

    @Test
    void templatesHoldOnePercentDOrNothing() {
        for (String ok : new String[] {"", "tap%d", "%d", "tap0"}) {
            assertThat(Names.checkInterfaceTemplate(ok)).isEqualTo(ok);
        }
        assertThatThrownBy(() -> Names.checkInterfaceTemplate("tap%s")).hasMessageContaining("followed by 'd'");
        assertThatThrownBy(() -> Names.checkInterfaceTemplate("t%d%d")).hasMessageContaining("more than one %d");
        assertThatThrownBy(() -> Names.checkInterfaceTemplate(null)).hasMessageContaining("empty");
    }

    @Test
    void namespaceNamesAreFileNamesUnderRunNetns() {
        assertThat(Names.checkNamespace("a b:c%d")).isEqualTo("a b:c%d");
        assertThat(Names.namespaceProblem("x".repeat(255))).isNull();
        assertThat(Names.namespaceProblem("x".repeat(256))).isEqualTo("256 bytes, at most 255 bytes allowed");
        assertThat(Names.namespaceProblem("")).isEqualTo("empty");
        assertThat(Names.namespaceProblem(".")).contains("reserved");
        assertThat(Names.namespaceProblem("a/b")).isEqualTo("contains '/'");
        assertThat(Names.namespaceProblem("a\u007fb")).isEqualTo("contains a control character U+007F");
        assertThatThrownBy(() -> Names.checkNamespace("../x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"../x\" is not a namespace name: contains '/'");
    }
}
