package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.RequiresRoot;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A closed subscription refuses {@code listen} as {@code await} refuses to wait: {@code listen} after
 * {@code close()} started a thread that stopped at once, and the caller's listener never heard a thing
 * (helper I, s46). {@code poll} keeps its documented null.
 */
@RequiresRoot
class ClosedSubscriptionTest extends OneNamespace {
    @Test
    void listenAfterCloseIsRefused() throws Exception {
        EventSubscription sub = h.subscribe(EventGroup.LINK);
        sub.close();
        assertThatThrownBy(() -> sub.listen(e -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> sub.listen(e -> {}, e -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> sub.await(e -> true, Duration.ofMillis(100)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThat(sub.poll(100, TimeUnit.MILLISECONDS)).isNull();
    }
}
