package io.github.netvirt.netns.testing;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Unique, short names for test objects, so that tests (and parallel builds) never collide:
 * {@code prefix + pid-derived tag + counter}. Interface names must stay within 15 bytes.
 */
public final class TestNames {
    private static final String TAG = Long.toString(ProcessHandle.current().pid() % 46656, 36);
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private TestNames() {}

    /** e.g. {@code unique("nvns")} -> {@code nvns-k3f-12}. */
    public static String unique(String prefix) {
        return prefix + "-" + TAG + "-" + COUNTER.incrementAndGet();
    }

    /** {@code n} names from {@link #unique(String)}, in order. */
    public static List<String> unique(String prefix, int n) {
        return Stream.generate(() -> unique(prefix)).limit(n).toList();
    }
}
