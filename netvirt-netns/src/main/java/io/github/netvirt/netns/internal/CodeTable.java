package io.github.netvirt.netns.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The constants of an enum by the number each stands for (a kernel constant, a file format's magic):
 * the one lookup behind every {@code of(int)} of netvirt's enums. Immutable once built; thread-safe.
 *
 * @param <E> the enum
 */
public final class CodeTable<E extends Enum<E>> {
    private final Map<Integer, E> byCode = new HashMap<>();

    /**
     * A table of {@code values} by {@code code}; hold it in a static field of the enum.
     *
     * @throws IllegalArgumentException if two constants have the same number
     */
    public CodeTable(E[] values, ToIntFunction<E> code) {
        for (E e : values) {
            E before = byCode.put(code.applyAsInt(e), e);
            if (before != null) {
                throw new IllegalArgumentException(before + " and " + e + " have the same number");
            }
        }
    }

    /** The constant of {@code code}, or null when none has it. */
    public E get(int code) {
        return byCode.get(code);
    }

    /**
     * The constant of {@code code}.
     *
     * @param unknown the start of the exception's message, e.g. "unknown hook number"
     * @throws IllegalArgumentException with "{@code unknown} {@code code}" when none has it
     */
    public E require(int code, String unknown) {
        E e = byCode.get(code);
        if (e == null) {
            throw new IllegalArgumentException(unknown + " " + code);
        }
        return e;
    }
}
