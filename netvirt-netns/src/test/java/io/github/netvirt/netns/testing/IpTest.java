package io.github.netvirt.netns.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A tool the tests run but the machine lacks fails the test with the tool's name. */
class IpTest {
    @Test
    void aMissingToolIsNamedInTheFailure() {
        assertThatThrownBy(() -> Ip.exec(List.of("netvirt-no-such-tool", "-x")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the tests need netvirt-no-such-tool on the PATH")
                .hasMessageContaining("README.md");
    }

    @Test
    void standardInputReachesTheProcess() {
        Ip.Result r = Ip.execWithInput(List.of("cat"), "line one\nline two\n");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("line one\nline two\n");
    }
}
