package io.github.netvirt.netlink;

/**
 * A change reported by the kernel to a subscription: exactly one of {@link #link()}, {@link #address()},
 * {@link #route()}, {@link #neighbor()} is non-null, as {@link #type()} says.
 */
public record NetlinkEvent(Type type, Link link, Address address, Route route, Neighbor neighbor) {
    public enum Type {
        NEW_LINK, DEL_LINK, NEW_ADDRESS, DEL_ADDRESS, NEW_ROUTE, DEL_ROUTE, NEW_NEIGHBOR, DEL_NEIGHBOR
    }

    static NetlinkEvent of(Type type, Object value) {
        return new NetlinkEvent(type, value instanceof Link ? (Link) value : null,
                value instanceof Address ? (Address) value : null, value instanceof Route ? (Route) value : null,
                value instanceof Neighbor ? (Neighbor) value : null);
    }

    @Override
    public String toString() {
        Object v = link != null ? link : address != null ? address : route != null ? route : neighbor;
        return type + " " + v;
    }
}
