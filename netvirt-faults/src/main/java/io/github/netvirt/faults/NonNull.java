package io.github.netvirt.faults;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/**
 * The null checks of netvirt-faults' public methods, made before anything else (as netvirt-core's
 * {@code Objects.requireNonNull(x, "x")}): a null argument where a value is needed is a
 * {@link NullPointerException} whose message is the parameter's name; a null inside a collection or
 * map argument, one whose message names the parameter.
 */
final class NonNull {
    private NonNull() {}

    /** @throws NullPointerException {@code "NAME"} or {@code "NAME holds a null"} */
    static <C extends Collection<?>> C elements(C values, String name) {
        Objects.requireNonNull(values, name);
        for (Object v : values) { // not contains(null): List.of throws on it
            if (v == null) {
                throw new NullPointerException(name + " holds a null");
            }
        }
        return values;
    }

    /** @throws NullPointerException {@code "NAME"}, {@code "NAME holds a null key"} or {@code "NAME maps K to null"} */
    static <M extends Map<?, ?>> M entries(M map, String name) {
        Objects.requireNonNull(map, name);
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (e.getKey() == null) {
                throw new NullPointerException(name + " holds a null key");
            }
            if (e.getValue() == null) {
                throw new NullPointerException(name + " maps " + e.getKey() + " to null");
            }
        }
        return map;
    }
}
