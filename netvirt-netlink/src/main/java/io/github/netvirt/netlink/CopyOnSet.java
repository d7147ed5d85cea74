package io.github.netvirt.netlink;

import java.util.function.Consumer;

/**
 * An immutable spec whose setters return a changed copy ({@link AddressSpec}, {@link NeighborSpec},
 * {@link RouteSpec}): the one copy mechanism behind them. The fields a setter changes are not final, so
 * that {@link #with} can set them on the fresh copy before anyone else sees it; none changes afterwards.
 *
 * @param <S> the spec
 */
abstract class CopyOnSet<S extends CopyOnSet<S>> implements Cloneable {
    CopyOnSet() {}

    /** A copy of this spec (every field; their values are immutable) with {@code change} made to it. */
    @SuppressWarnings("unchecked")
    final S with(Consumer<? super S> change) {
        S copy;
        try {
            copy = (S) clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e); // Cloneable is implemented right here
        }
        change.accept(copy);
        return copy;
    }
}
