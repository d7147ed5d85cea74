package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.RequiresRoot;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A null condition, listener or namespace is refused at the call: {@code await(null, t)} waited all of
 * {@code t} and then threw ETIMEDOUT, {@code listen(null)} started a listener that died at the first
 * event and left the subscription "already listening", {@code Sysctls.of(null)} failed at its first use
 * (helper C's audit, s46).
 */
@RequiresRoot
class NullListenerTest extends OneNamespace {
    @Test
    void awaitRefusesANullConditionAtOnce() throws Exception {
        try (EventSubscription sub = h.subscribe(EventGroup.LINK)) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> sub.await(null, Duration.ofSeconds(3)))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("condition");
            assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(1));
        }
    }

    @Test
    void listenRefusesANullConsumerAndListensLater() throws Exception {
        try (EventSubscription sub = h.subscribe(EventGroup.LINK)) {
            assertThatThrownBy(() -> sub.listen(null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("consumer");
            assertThatThrownBy(() -> sub.listen(e -> {}, null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("onError");
            LinkedBlockingQueue<NetlinkEvent> seen = new LinkedBlockingQueue<>();
            sub.listen(seen::add);
            h.linkAdd(LinkSpec.bridge("br0"));
            assertThat(seen.poll(2, TimeUnit.SECONDS)).isNotNull();
        }
    }

    @Test
    void sysctlsOfANullNamespaceIsRefused() {
        assertThatThrownBy(() -> Sysctls.of(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("ns");
    }
}
