package io.github.netvirt.netns.internal;

import java.util.ArrayList;
import java.util.Arrays;
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
        throwFirst(releaseAll(items, release));
    }

    /**
     * Runs {@code release} on every item, even after one of them threw.
     *
     * @return what they threw, in order (empty if none did)
     */
    public static <T> List<RuntimeException> releaseAll(Iterable<? extends T> items, Consumer<? super T> release) {
        List<RuntimeException> errors = new ArrayList<>();
        for (T item : items) {
            try {
                release.accept(item);
            } catch (RuntimeException e) {
                errors.add(e);
            }
        }
        return errors;
    }

    /** Throws the first of {@code errors}, the later ones added to it as suppressed; returns if there are none. */
    public static void throwFirst(List<? extends RuntimeException> errors) {
        if (errors.isEmpty()) {
            return;
        }
        RuntimeException first = errors.get(0);
        errors.subList(1, errors.size()).forEach(first::addSuppressed);
        throw first;
    }

    /**
     * Closes each of {@code resources} that is not null, after {@code failure} (those a constructor
     * had opened when it failed): a resource that fails to close does not stop the others, its
     * exception is added to {@code failure} as suppressed.
     */
    public static void closeAfter(Throwable failure, AutoCloseable... resources) {
        closeAfter(failure, Arrays.asList(resources));
    }

    /** As {@link #closeAfter(Throwable, AutoCloseable...)}, for the items of {@code items} that are {@link AutoCloseable}. */
    public static void closeAfter(Throwable failure, Iterable<?> items) {
        for (Object item : items) {
            if (item instanceof AutoCloseable r) {
                try {
                    r.close();
                } catch (Exception e) {
                    failure.addSuppressed(e);
                }
            }
        }
    }
}
