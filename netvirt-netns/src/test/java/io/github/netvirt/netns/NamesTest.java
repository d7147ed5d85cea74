package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The one check of namespace and interface names: pure logic, no kernel. */
class NamesTest {
    private static final String RESERVED = "'all' and 'default' are reserved: they name the sysctls of every"
            + " device and of new devices (/proc/sys/net/ipv4/conf/all, .../default)";
    private static final String NOT_ALLOWED = " (not allowed: '/', ':', '%', whitespace, control characters)";

    /** An interface name and its problem ({@code null}: none). */
    static Stream<Arguments> interfaceProblems() {
        return Stream.of(
                arguments("", "empty"),
                arguments("..", "'.' and '..' are reserved"),
                arguments("a-name-of-16-by", null),
                arguments("a-name-of-16-byt", "16 bytes, at most 15 bytes allowed"),
                arguments("ééééééé", null),
                arguments("éééééééé", "16 bytes, at most 15 bytes allowed"),
                arguments("a/b", "contains '/'" + NOT_ALLOWED),
                arguments("a:b", "contains ':'" + NOT_ALLOWED),
                arguments("a b", "contains ' ' (space)" + NOT_ALLOWED),
                arguments("a\tb", "contains a control character U+0009" + NOT_ALLOWED),
                arguments("tap%d", "contains '%'" + NOT_ALLOWED),
                arguments(null, "empty"),
                arguments(".", "'.' and '..' are reserved"),
                arguments("...", null),
                arguments(".a", null),
                arguments("~!\"#$&'()*+,-.;", null),
                arguments("<=>?@[\\]^_`{|}", null),
                arguments("%", "contains '%'" + NOT_ALLOWED),
                arguments("a\u007fb", "contains a control character U+007F" + NOT_ALLOWED),
                arguments("a\u2003b", "contains whitespace U+2003" + NOT_ALLOWED),
                // the kernel's isspace() takes byte 0xA0 (lib/ctype.c), which the UTF-8 of these holds
                arguments("a\u00a0b", a0("\u00a0", "00A0", "C2 A0")),
                arguments("voil\u00e0", a0("\u00e0", "00E0", "C3 A0")),
                arguments("\u0120", a0("\u0120", "0120", "C4 A0")),
                arguments("\u0420", a0("\u0420", "0420", "D0 A0")),
                arguments("\u0800", a0("\u0800", "0800", "E0 A0 80")),
                arguments("\ud800\udc20", a0("\ud800\udc20", "10020", "F0 90 80 A0")),
                arguments("\u00e1\u00df\u00e9\u0121\u0085", null),
                // the kernel refuses these (devinet_sysctl_register: EINVAL), whatever the case of others
                arguments("all", RESERVED),
                arguments("default", RESERVED),
                arguments("ALL", null),
                arguments("Default", null),
                arguments("all0", null),
                arguments("defaults", null));
    }

    private static String a0(String c, String code, String utf8) {
        return "contains '" + c + "' (U+" + code + ", UTF-8 " + utf8 + "): the kernel takes its byte 0xA0 for"
                + " whitespace (isspace()) and would refuse the name (EINVAL)";
    }

    @Test
    void byteA0IsFoundInEveryCodePointWhoseUtf8HasIt() {
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                continue;
            }
            boolean has = false;
            for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                has |= b == (byte) 0xa0;
            }
            assertThat(Names.hasByteA0(cp)).as("U+%04X", cp).isEqualTo(has);
        }
    }

    @ParameterizedTest
    @MethodSource
    void interfaceProblems(String name, String problem) {
        assertThat(Names.interfaceProblem(name)).isEqualTo(problem);
    }

    /** A namespace name and its problem ({@code null}: none). */
    static Stream<Arguments> namespaceProblems() {
        return Stream.of(
                arguments("x".repeat(255), null),
                arguments("all", null), // a file under /run/netns: no sysctl takes its name
                arguments("default", null),
                arguments("x".repeat(256), "256 bytes, at most 255 bytes allowed"),
                arguments("", "empty"),
                arguments(".", "'.' and '..' are reserved"),
                arguments("a/b", "contains '/'"),
                arguments("a\u007fb", "contains a control character U+007F"),
                arguments(null, "empty"),
                arguments("..", "'.' and '..' are reserved"),
                arguments("...", null),
                arguments("a b:c%d", null),
                arguments(" ", null),
                arguments("\u0000", "contains a control character U+0000"),
                arguments("é".repeat(127), null),
                arguments("é".repeat(128), "256 bytes, at most 255 bytes allowed"));
    }

    @ParameterizedTest
    @MethodSource
    void namespaceProblems(String name, String problem) {
        assertThat(Names.namespaceProblem(name)).isEqualTo(problem);
    }

    @Test
    void interfaceNamesFollowDevValidNameAndRefuseTemplates() {
        for (String ok : new String[] {"eth0", "a-b_c.d", "tp-exactly-15by", "é"}) {
            assertThat(Names.checkInterface(ok)).isEqualTo(ok);
        }
        assertThatThrownBy(() -> Names.checkInterface("a\nb"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"a\\x0ab\" is not an interface name: contains a control character U+000A" + NOT_ALLOWED);
    }

    @Test
    void templatesHoldOnePercentDOrNothing() {
        for (String ok : new String[] {"", "tap%d", "%d", "tap0"}) {
            assertThat(Names.checkInterfaceTemplate(ok)).isEqualTo(ok);
        }
        assertThatThrownBy(() -> Names.checkInterfaceTemplate("tap%s")).hasMessageContaining("followed by 'd'");
        assertThatThrownBy(() -> Names.checkInterfaceTemplate("t%d%d")).hasMessageContaining("more than one %d");
        assertThatThrownBy(() -> Names.checkInterfaceTemplate(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the interface name is null");
        assertThatThrownBy(() -> Names.checkInterfaceTemplate("all")).hasMessageContaining("'all' and 'default'");
    }

    @Test
    void aNameThatCannotBeEncodedWithoutLossIsRefused() {
        // String.getBytes writes '?' for these: two names would land on one file or device
        assertThat(Names.namespaceProblem("net\uD800x")).contains("unpaired surrogate");
        assertThat(Names.interfaceProblem("e\uDC00")).contains("unpaired surrogate");
        assertThat(Names.namespaceProblem("caf\u00e9")).isNull();
        // in a C locale the JDK writes file names in ASCII
        assertThat(Names.unencodable("caf\u00e9", StandardCharsets.US_ASCII)).isTrue();
        assertThat(Names.unencodable("cafe", StandardCharsets.US_ASCII)).isFalse();
    }

    @Test
    void namespaceNamesAreFileNamesUnderRunNetns() {
        assertThat(Names.checkNamespace("a b:c%d")).isEqualTo("a b:c%d");
        assertThatThrownBy(() -> Names.checkNamespace("../x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"../x\" is not a namespace name: contains '/'");
    }
}
