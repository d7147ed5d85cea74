package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.Qdisc;
import io.github.netvirt.netlink.TcHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The handle a fault's root qdisc is added with: one the device's qdiscs do not have, in the faults' range. */
class RootQdiscHandleTest {

    private static Qdisc on3(int major) {
        return new Qdisc(3, TcHandle.of(major, 0), TcHandle.ROOT, "tbf", null);
    }

    /** A Random whose first {@code nextInt} is {@code n}. */
    private static Random first(int n) {
        return new Random() {
            @Override
            public int nextInt(int bound) {
                assertThat(n).isBetween(0, bound - 1);
                return n;
            }
        };
    }

    @Test
    void aHandleInUseIsPassedOverUpToTheRangesEndAndRoundAgain() {
        assertThat(RootQdisc.unusedHandle(List.of(), first(0))).isEqualTo(0x80000000);
        assertThat(RootQdisc.unusedHandle(List.of(on3(0x8000), on3(0x8001)), first(0)))
                .isEqualTo(0x80020000);
        assertThat(RootQdisc.unusedHandle(List.of(on3(0xfffe)), first(0xfffe - 0x8000)))
                .isEqualTo(0x80000000);
    }

    @Test
    void everyHandleIsInTheRangeACleanerTakesAndNoneInUse() {
        Random r = new Random(41);
        List<Qdisc> there = new ArrayList<>(List.of(on3(0xffff), on3(1)));
        for (int i = 0; i < 2000; i++) {
            int h = RootQdisc.unusedHandle(there, r);
            assertThat(TcHandle.minor(h)).isZero();
            assertThat(TcHandle.major(h)).isBetween(0x8000, 0xfffe);
            assertThat(there).noneMatch(q -> q.handle() == h);
            there.add(on3(TcHandle.major(h)));
        }
    }

    @Test
    void aDeviceWithEveryHandleInUseIsRefused() {
        List<Qdisc> there = new ArrayList<>();
        for (int major = 0x8000; major <= 0xfffe; major++) {
            there.add(on3(major));
        }
        assertThatThrownBy(() -> RootQdisc.unusedHandle(there, new Random(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("in use");
    }
}
