package io.github.netvirt.netns.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Releasing several resources where one failure must not stop the release of the others. */
public final class EachOf {
    private EachOf() {}

    /**
     * Runs {@code release} on every item, even after one of them threw; then rethrows the first
     * {@link RuntimeException}, the later ones added to it as suppressed.
     */
    public static <T> void release(Iterable<? extends T> items, Consumer<? super T> release) {
        List<RuntimeException> failures = new ArrayList<>();
        for (T item : items) {
            try {
                release.accept(item);
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        throwFirst(failures);
    }

    /** Throws the first of {@code failures}, the later ones added to it as suppressed; returns if there are none. */
    public static void throwFirst(List<? extends RuntimeException> failures) {
        if (failures.isEmpty()) {
            return;
        }
        RuntimeException first = failures.get(0);
        for (RuntimeException later : failures.subList(1, failures.size())) {
            first.addSuppressed(later);
        }
        throw first;
    }

    /**
     * Closes each of {@code resources} that is not null, after {@code failure} (those a constructor
     * had opened when it failed): a resource that fails to close does not stop the others, its
     * exception is added to {@code failure} as suppressed.
     */
    public static void closeAfter(Throwable failure, AutoCloseable... resources) {
        for (AutoCloseable r : resources) {
            if (r == null) {
                continue;
            }
            try {
                r.close();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }
}
