package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** MacAddress.parse: six two-hex-digit groups, one separator kind or none; nothing else. */
class MacAddressTest {

    @ParameterizedTest
    @ValueSource(strings = {"02:aa:bb:0c:dd:ee", "02-aa-bb-0c-dd-ee", "02aabb0cddee", "02:AA:Bb:0C:dd:EE"})
    void acceptsTheThreeForms(String text) {
        assertThat(MacAddress.parse(text)).isEqualTo(new MacAddress(0x02aabb0cddeeL));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "aa:bb:cc:dd:ee:ff:",
                "aa-bb:cc-dd:ee:ff::::",
                "+a:+b:+c:+d:+e:+f",
                "-a:-b:-c:-d:-e:-f",
                "aa:bb:cc:dd:ee",
                "aa:bb:cc:dd:ee:ff:00",
                "a:b:c:d:e:f",
                "aa:bb:cc:dd:ee:f",
                "aaa:bb:cc:dd:ee:ff",
                "aa-bb-cc:dd-ee-ff",
                ":aa:bb:cc:dd:ee:ff",
                " aa:bb:cc:dd:ee:ff",
                "aa:bb:cc:dd:ee:ff ",
                "aa::bb:cc:dd:ee:ff",
                "gg:bb:cc:dd:ee:ff",
                "aa.bb.cc.dd.ee.ff",
                "aabb.ccdd.eeff",
                "aabbccddeef",
                "aabbccddeeff0",
                "0x:aa:bb:cc:dd:ee",
                "",
                "aa:bb:cc:dd:ee:\u0661\u0662"
            })
    void rejectsEverythingElseNamingTheInput(String text) {
        assertThatThrownBy(() -> MacAddress.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + text + "\"");
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> MacAddress.parse(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null");
    }

    @Test
    void printsWhatItParses() {
        MacAddress m = MacAddress.parse("02:00:5e:10:00:01");
        assertThat(MacAddress.parse(m.toString())).isEqualTo(m);
        assertThat(m.toString()).isEqualTo("02:00:5e:10:00:01");
    }
}
