package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.RequiresRoot;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A timeout longer than {@code Duration.toNanos()} holds (292 years) is a wait that does not end in
 * practice, as the JDK's timed waits take it: it threw {@code ArithmeticException: long overflow},
 * naming neither the parameter nor the value, also for a wait whose condition held already. A
 * bridge's times that long are out of range, said so (helper C's audit, s46).
 */
@RequiresRoot
class HugeTimeoutTest extends OneNamespace {
    private static final Duration FOREVER = Duration.ofSeconds(Long.MAX_VALUE);

    @Test
    void aHandleTakesAHugeTimeout() {
        h.setTimeout(FOREVER);
        assertThat(h.linkList()).isNotEmpty();
        try (NetlinkHandle other = NetlinkHandle.open(ns, FOREVER)) {
            assertThat(other.linkList()).isNotEmpty();
        }
    }

    @Test
    void aWaitForWhatHoldsAlreadyReturnsWhateverItsTimeout() throws Exception {
        assertThat(h.awaitLinkPresent("lo", FOREVER).name()).isEqualTo("lo");
        h.awaitLinkGone("nosuch", FOREVER);
        h.awaitDad(java.util.List.of(1), FOREVER);
        try (EventSubscription sub = h.subscribe(EventGroup.LINK)) {
            h.linkAdd(LinkSpec.bridge("br0"));
            assertThat(sub.poll(FOREVER)).isNotNull();
            h.linkSetUp("br0");
            assertThat(sub.await(e -> e.type() == NetlinkEvent.Type.NEW_LINK, FOREVER))
                    .isNotNull();
        }
    }

    @Test
    void aBridgesHugeTimesAreOutOfRange() {
        assertThatThrownBy(() -> LinkSpec.bridge("br1").ageingTime(FOREVER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ageing time out of range");
        assertThatThrownBy(() -> LinkSpec.bridge("br1").forwardDelay(FOREVER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("forward delay out of range");
    }
}
