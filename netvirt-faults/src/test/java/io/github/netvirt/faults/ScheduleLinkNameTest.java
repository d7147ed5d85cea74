package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A link of a schedule is checked for its host/device shape only: a device that is no interface
 * name (16 bytes, a space) is accepted by over() and plan(), and each of its cuts fails when its
 * time comes, on the schedule's thread ("is not an interface name"), reported only at the run's
 * close. No root: plain argument checks.
 */
class ScheduleLinkNameTest {

    @Test
    void aLinkWhoseDeviceIsNoInterfaceNameIsRefusedAtOnce() {
        assertThatThrownBy(() -> FaultSchedule.over(List.of("h"), List.of("h/device-name-16by")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("device-name-16by");
        assertThatThrownBy(() -> FaultSchedule.over(List.of("h"), List.of("h/eth 0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("eth 0");
    }
}
