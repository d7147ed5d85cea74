/**
 * The Topology DSL: transactional apply, live handles, full teardown.
 *
 * <p>The JDK 18+ {@code InetAddressResolverProvider} ({@code HostResolverProvider}, compiled with
 * release 18 next to these classes when a JDK 18+ compiler is there) is registered through
 * {@code META-INF/services}, which only the class path reads: a {@code provides} clause would name a
 * service type that release 17 does not have. On the module path {@code Topology.address(host)} is
 * the way to resolve a host's name.
 */
module io.github.netvirt.core {
    requires transitive io.github.netvirt.netns;
    requires transitive io.github.netvirt.netlink;
    requires transitive io.github.netvirt.tap;
    requires com.sun.jna;

    exports io.github.netvirt.core;
    exports io.github.netvirt.core.spec;
}
