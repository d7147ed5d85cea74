package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A link condition declared with nothing in it ({@code rate(0)}, {@code delay(Duration.ZERO)},
 * {@code loss(0)}) is refused naming what was declared, not as a {@code conditionSeed()} the caller
 * never wrote (helper C's audit, s46). No kernel.
 */
class EmptyLinkConditionMessageTest {
    @ParameterizedTest
    @ValueSource(strings = {"rate(0)", "delay(PT0S)", "loss(0.0)", "jitter(PT0S)"})
    void theMessageSaysTheConditionIsEmptyNotThatASeedWasGiven(String call) {
        UnaryOperator<TopologyBuilder> declare = switch (call) {
            case "rate(0)" -> b -> b.rate(0);
            case "delay(PT0S)" -> b -> b.delay(Duration.ZERO);
            case "loss(0.0)" -> b -> b.loss(0);
            default -> b -> b.jitter(Duration.ZERO);
        };
        TopologyBuilder b =
                declare.apply(Topology.create().ns("a").veth("e0", "b", "e0")).ns("b");
        assertThatThrownBy(b::spec)
                .isInstanceOf(InvalidTopologyException.class)
                .hasMessageContaining("device a/e0")
                .hasMessageContaining("no rate, delay, jitter or loss")
                .hasMessageNotContaining("conditionSeed()");
    }
}
