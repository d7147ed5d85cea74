package io.github.netvirt.core;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Resolves the host names of a topology for threads inside its namespaces, and defers to the
 * JDK's built-in resolver for every other thread and name (JDK 18 and later; registered in
 * {@code META-INF/services}). See {@link Topology#address} for what the names are and how the JDK's
 * name cache interferes.
 *
 * <p>Compiled for release 18 into the same jar as the release 17 classes: on JDK 17 the service
 * type does not exist, so nothing ever loads this class. Thread-safe.
 */
public final class HostResolverProvider extends InetAddressResolverProvider {

    @Override
    public InetAddressResolver get(Configuration configuration) {
        return new Resolver(configuration.builtinResolver());
    }

    @Override
    public String name() {
        return "netvirt topology host names";
    }

    private record Resolver(InetAddressResolver builtin) implements InetAddressResolver {
        @Override
        public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
            List<InetAddress> mine = HostNames.resolve(host);
            if (mine == null) {
                return builtin.lookupByName(host, policy);
            }
            int c = policy.characteristics();
            boolean v4 = (c & LookupPolicy.IPV4) != 0;
            boolean v6 = (c & LookupPolicy.IPV6) != 0;
            List<InetAddress> first = new ArrayList<>();
            List<InetAddress> second = new ArrayList<>();
            for (InetAddress a : mine) {
                boolean isV4 = a instanceof Inet4Address;
                if (isV4 ? !v4 : !v6) {
                    continue;
                }
                boolean ahead = (c & LookupPolicy.IPV6_FIRST) != 0
                        ? a instanceof Inet6Address
                        : (c & LookupPolicy.IPV4_FIRST) == 0 || isV4;
                // named, as the JDK's own resolver names what it resolves: getHostName() needs no reverse lookup
                (ahead ? first : second).add(InetAddress.getByAddress(host, a.getAddress()));
            }
            first.addAll(second);
            if (first.isEmpty()) {
                throw new UnknownHostException(host + ": the topology's host has no address of the requested family");
            }
            return first.stream();
        }

        @Override
        public String lookupByAddress(byte[] addr) throws UnknownHostException {
            String name = HostNames.nameOf(InetAddress.getByAddress(addr));
            return name != null ? name : builtin.lookupByAddress(addr);
        }
    }
}
