package io.github.netvirt.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NetNamespace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** keepOnFailure keeps a class's network when any test inside the class fails, however deep. */
class KeepOnFailureScopesTest {
    static final List<TestNetwork> seen = new ArrayList<>();

    @NetvirtTest(keepOnFailure = true)
    @ExtendWith(InnerOnly.class)
    static class FailingParameterized {
        @Network
        static TestNetwork shared = TwoHosts.of("left", "right", "10.8.1");

        @ParameterizedTest
        @ValueSource(ints = {1})
        void fails(int i) {
            seen.add(shared);
            throw new AssertionError("keep me " + i);
        }
    }

    @NetvirtTest(keepOnFailure = true)
    @ExtendWith(InnerOnly.class)
    static class FailingRepeated {
        @Network
        static TestNetwork shared = TwoHosts.of("left", "right", "10.8.2");

        @RepeatedTest(1)
        void fails() {
            seen.add(shared);
            throw new AssertionError("keep me");
        }
    }

    @NetvirtTest(keepOnFailure = true)
    @ExtendWith(InnerOnly.class)
    static class FailingNested {
        @Network
        static TestNetwork shared = TwoHosts.of("left", "right", "10.8.3");

        @Nested
        class Inner {
            @Test
            void fails() {
                seen.add(shared);
                throw new AssertionError("keep me");
            }
        }
    }

    @NetvirtTest(keepOnFailure = true)
    @ExtendWith(InnerOnly.class)
    static class FailingDynamic {
        @Network
        static TestNetwork shared = TwoHosts.of("left", "right", "10.8.6");

        @TestFactory
        Stream<DynamicTest> fails() {
            return Stream.of(DynamicTest.dynamicTest("fails", () -> {
                seen.add(shared);
                throw new AssertionError("keep me");
            }));
        }
    }

    @NetvirtTest(keepOnFailure = true)
    @ExtendWith(InnerOnly.class)
    static class Skipping {
        @Network
        static TestNetwork shared = TwoHosts.of("left", "right", "10.8.4");

        @Network
        TestNetwork mine = TwoHosts.of("left", "right", "10.8.5");

        @Test
        void skips() {
            seen.add(shared);
            seen.add(mine);
            Assumptions.assumeTrue(false, "not here");
        }
    }

    private static TestExecutionSummary assertKept(Class<?> c) {
        Map<String, String> names;
        TestNetwork kept;
        TestExecutionSummary s;
        synchronized (seen) {
            seen.clear();
            s = FailureTest.run(c);
            assertThat(s.getTestsFailedCount()).isEqualTo(1);
            kept = seen.get(0);
            names = kept.kernelNames();
        }
        List<Boolean> exist = new ArrayList<>();
        try {
            assertThat(names).containsKeys("left", "right");
            for (String kernel : names.values()) {
                exist.add(NetNamespace.exists(kernel));
            }
        } finally {
            kept.removeKept();
        }
        assertThat(exist).as("the failed class's network %s was kept", names).containsExactly(true, true);
        return s;
    }

    @Test
    void aSkippedTestIsNoFailure() {
        List<Map<String, String>> names = new ArrayList<>();
        List<String> left = new ArrayList<>();
        synchronized (seen) {
            seen.clear();
            TestExecutionSummary s = FailureTest.run(Skipping.class);
            assertThat(s.getTestsAbortedCount()).isEqualTo(1);
            assertThat(s.getTestsFailedCount()).isZero();
            for (TestNetwork n : seen) {
                names.add(n.kernelNames());
                left.addAll(n.removeKept());
            }
        }
        assertThat(names).hasSize(2);
        assertThat(left).as("networks kept after a skipped test").isEmpty();
    }

    @Test
    void aFailingParameterizedInvocationKeepsTheClassNetwork() {
        assertKept(FailingParameterized.class);
    }

    @Test
    void aFailingRepetitionKeepsTheClassNetwork() {
        assertKept(FailingRepeated.class);
    }

    @Test
    void aFailingDynamicTestKeepsTheClassNetwork() {
        TestExecutionSummary s = assertKept(FailingDynamic.class);
        assertThat(s.getFailures())
                .singleElement()
                .satisfies(f -> assertThat(f.getException().getMessage())
                        .startsWith("keep me")
                        .contains("network 'shared'")
                        .contains("10.8.6.1/24"));
    }

    @Test
    void aFailingNestedTestKeepsTheEnclosingClassNetwork() {
        assertKept(FailingNested.class);
    }
}
