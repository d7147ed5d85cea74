package io.github.netvirt.examples.userspacehost;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.RequiresRoot;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code userspace-host SECONDS} takes any whole number of seconds its usage allows, up to
 * Long.MAX_VALUE ("until stopped"): it keeps answering then, where the conversion to milliseconds
 * overflowed and it exited 1 with an ArithmeticException right after its checks.
 */
@RequiresRoot
class UserspaceHostAnswersForLongTest {
    @Test
    void theLargestSecondsKeepsItAnswering() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        Thread runner = new Thread(() -> {
            try {
                UserspaceHost.run(out, String.valueOf(Long.MAX_VALUE));
            } catch (Exception e) {
                e.printStackTrace(out);
            }
        });
        runner.start();
        try {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!buf.toString(StandardCharsets.UTF_8).contains("answering for") && runner.isAlive()) {
                assertThat(System.nanoTime())
                        .as(buf.toString(StandardCharsets.UTF_8))
                        .isLessThan(deadline);
                Thread.sleep(20);
            }
            runner.join(500);
            assertThat(runner.isAlive())
                    .as(buf.toString(StandardCharsets.UTF_8))
                    .isTrue();
        } finally {
            runner.interrupt(); // the sleep ends; the topology closes
            runner.join(10_000);
        }
        assertThat(runner.isAlive()).isFalse();
    }
}
