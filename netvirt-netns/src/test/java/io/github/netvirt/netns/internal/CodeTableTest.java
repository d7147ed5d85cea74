package io.github.netvirt.netns.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.sys.Errno;
import org.junit.jupiter.api.Test;

class CodeTableTest {
    enum Sample {
        A(1),
        B(-5),
        C(1 << 20);

        final int code;

        Sample(int code) {
            this.code = code;
        }
    }

    private final CodeTable<Sample> table = new CodeTable<>(Sample.values(), s -> s.code);

    @Test
    void findsEveryConstantByItsNumber() {
        for (Sample s : Sample.values()) {
            assertThat(table.get(s.code)).isSameAs(s);
            assertThat(table.require(s.code, "unknown sample")).isSameAs(s);
        }
    }

    @Test
    void anUnknownNumberIsNullOrAClearException() {
        assertThat(table.get(2)).isNull();
        assertThatThrownBy(() -> table.require(2, "unknown sample"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown sample 2");
    }

    @Test
    void twoConstantsWithOneNumberAreRefused() {
        assertThatThrownBy(() -> new CodeTable<>(Sample.values(), s -> 7))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("A and B have the same number");
    }

    @Test
    void errnoLooksUpThroughItWithSignIgnored() {
        assertThat(Errno.of(17)).isEqualTo(Errno.EEXIST);
        assertThat(Errno.of(-17)).isEqualTo(Errno.EEXIST);
        assertThat(Errno.of(200)).isEqualTo(Errno.UNKNOWN);
    }
}
