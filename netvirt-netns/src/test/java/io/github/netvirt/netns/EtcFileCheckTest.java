package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** An /etc file's content is at most 64 KiB of UTF-8, however many chars that is. */
class EtcFileCheckTest {
    private static final int LIMIT = 64 * 1024;

    @Test
    void asciiUpToTheLimit() {
        assertThatCode(() -> ProcessMounts.check("hosts", "a".repeat(LIMIT))).doesNotThrowAnyException();
        assertThatThrownBy(() -> ProcessMounts.check("hosts", "a".repeat(LIMIT + 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("longer than 64 KiB");
    }

    @Test
    void threeByteCharsCountThreeTimes() {
        assertThatCode(() -> ProcessMounts.check("hosts", "\u20ac".repeat(LIMIT / 3)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> ProcessMounts.check("hosts", "\u20ac".repeat(LIMIT / 3 + 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("longer than 64 KiB");
    }

    @Test
    void fewerCharsThanTheLimitCanStillBeTooManyBytes() {
        String s = "a".repeat(LIMIT / 3) + "\u20ac".repeat(LIMIT / 3);
        assertThatThrownBy(() -> ProcessMounts.check("hosts", s)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesArePlainFileNamesDirectlyUnderEtc() {
        for (String ok : new String[] {"hosts", "resolv.conf", "_x", "9", "a+b-c.d", "A.b+", "x-"}) {
            assertThatCode(() -> ProcessMounts.check(ok, "x")).as(ok).doesNotThrowAnyException();
        }
        for (String bad : new String[] {"", ".hidden", "-x", "+x", "..", "a/b", "x y", "é", "a\u0000", "tab\t"}) {
            assertThatThrownBy(() -> ProcessMounts.check(bad, "x"))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("not a file name directly under /etc: " + bad);
        }
        assertThatThrownBy(() -> ProcessMounts.check(null, "x"))
                .hasMessage("not a file name directly under /etc: null");
    }

    @Test
    void aNameIsAtMost255Bytes() {
        assertThatCode(() -> ProcessMounts.check("x".repeat(255), "x")).doesNotThrowAnyException();
        assertThatThrownBy(() -> ProcessMounts.check("x".repeat(256), "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a file name directly under /etc: ");
    }

    @Test
    void filesAreKeptByNameInOrder() {
        try (NetNamespace ns = NetNamespace.root()) { // the files live in the handle: nothing is mounted here
            ns.etcFile("resolv.conf", "r");
            assertThat(ns.etcFiles()).containsExactly(entry("resolv.conf", "r"));
            ns.etcFile("resolv.conf", "r2");
            assertThat(ns.etcFiles()).containsExactly(entry("resolv.conf", "r2"));
            ns.etcFile("passwd", "p");
            ns.etcFile("hosts", "h");
            assertThat(ns.etcFiles())
                    .containsExactly(entry("hosts", "h"), entry("passwd", "p"), entry("resolv.conf", "r2"));
            Map<String, String> before = ns.etcFiles();
            ns.etcFile("passwd", null);
            ns.etcFile("hosts", null);
            assertThat(before).hasSize(3);
            assertThat(ns.etcFiles()).containsExactly(entry("resolv.conf", "r2"));
            assertThatThrownBy(() -> ns.etcFiles().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
            ns.etcFile("resolv.conf", null);
            assertThat(ns.etcFiles()).isEmpty();
            ns.etcFile("hosts", null);
            assertThat(ns.etcFiles()).isEmpty();
        }
    }
}
