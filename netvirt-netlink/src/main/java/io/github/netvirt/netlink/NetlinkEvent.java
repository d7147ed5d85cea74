package io.github.netvirt.netlink;

/**
 * A change reported by the kernel to a subscription: exactly one of {@link #link()}, {@link #address()},
 * {@link #route()}, {@link #neighbor()} is non-null, as {@link #type()} says.
 */
public record NetlinkEvent(Type type, Link link, Address address, Route route, Neighbor neighbor) {
    public enum Type {
        NEW_LINK,
        DEL_LINK,
        NEW_ADDRESS,
        DEL_ADDRESS,
        NEW_ROUTE,
        DEL_ROUTE,
        NEW_NEIGHBOR,
        DEL_NEIGHBOR
    }

    static NetlinkEvent of(Type type, Object value) {
        return new NetlinkEvent(
                type,
                value instanceof Link l ? l : null,
                value instanceof Address a ? a : null,
                value instanceof Route r ? r : null,
                value instanceof Neighbor n ? n : null);
    }

    @Override
    public String toString() {
        Object v = link != null ? link : address != null ? address : route != null ? route : neighbor;
        return type + " " + v;
    }
}
