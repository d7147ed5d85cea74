package io.github.netvirt.core.spec;

import io.github.netvirt.netlink.IpPrefix;
import java.net.InetAddress;

/**
 * A route in namespace {@code ns}: to {@code destination} (a network; {@code 0.0.0.0/0} or
 * {@code ::/0} is the default route) via {@code gateway} and/or out of {@code dev} (either may be null,
 * not both), with {@code metric} ({@code RTA_PRIORITY}) in routing table {@code table}
 * ({@link #MAIN_TABLE} unless told otherwise). The metric is the one the kernel lists: without one
 * given, {@link #defaultMetric} of the destination's family, and an IPv6 route's metric 0 is 1024
 * too, as the kernel makes it; so two records are equal exactly when the kernel would take them
 * for one route.
 */
public record NamespaceRoute(String ns, IpPrefix destination, InetAddress gateway, String dev, int metric, int table) {

    /** The main table ({@code RT_TABLE_MAIN}), where a route goes unless told otherwise. */
    public static final int MAIN_TABLE = 254;

    /** IPv6's metric when none is given, and for 0 ({@code IP6_RT_PRIO_USER}). */
    static final int IPV6_DEFAULT_METRIC = 1024;

    public NamespaceRoute {
        metric = kernelMetric(destination, metric);
    }

    /**
     * The metric the kernel gives a route to {@code destination} added with {@code metric}: itself,
     * but 1024 for an IPv6 route's 0 (EEXIST with one added without a metric).
     */
    public static int kernelMetric(IpPrefix destination, int metric) {
        return metric == 0 && !destination.isIpv4() ? IPV6_DEFAULT_METRIC : metric;
    }

    /** A route of the main table with its family's default metric. */
    public NamespaceRoute(String ns, IpPrefix destination, InetAddress gateway, String dev) {
        this(ns, destination, gateway, dev, defaultMetric(destination), MAIN_TABLE);
    }

    /** The metric the kernel gives a route to {@code destination} without one: 0 for IPv4, 1024 for IPv6. */
    public static int defaultMetric(IpPrefix destination) {
        return destination.isIpv4() ? 0 : IPV6_DEFAULT_METRIC;
    }

    public boolean isDefault() {
        return destination.prefixLength() == 0;
    }

    /**
     * The iproute2 arguments after {@code ip route add} (a default metric and the main table left out).
     * An IPv6 default route without a gateway is {@code ::/0}: {@code ip} takes a bare {@code default}
     * for IPv4 unless a gateway says otherwise.
     */
    public String iproute2() {
        StringBuilder s = new StringBuilder(
                isDefault() && (destination.isIpv4() || gateway != null) ? "default" : destination.toString());
        if (gateway != null) {
            s.append(" via ").append(IpPrefix.format(gateway));
        }
        if (dev != null) {
            s.append(" dev ").append(TopologySpec.shellWord(dev));
        }
        if (metric != defaultMetric(destination)) {
            s.append(" metric ").append(metric);
        }
        if (table != MAIN_TABLE) {
            s.append(" table ").append(table);
        }
        return s.toString();
    }
}
