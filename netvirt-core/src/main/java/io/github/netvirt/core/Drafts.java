package io.github.netvirt.core;

import io.github.netvirt.core.spec.Adoption;
import io.github.netvirt.core.spec.DeviceSettings;
import io.github.netvirt.core.spec.Kind;
import io.github.netvirt.core.spec.LinkCondition;
import io.github.netvirt.core.spec.NamespaceRoute;
import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.netlink.MacAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The builder's mutable notes, checked and frozen by {@link Validator}. */
final class Drafts {
    private Drafts() {}

    static final class Ns {
        final String name;
        final boolean root;
        boolean declared;
        int declOrder = Integer.MAX_VALUE;
        boolean forwarding;
        /** How an adopted namespace is reached; null when the topology creates it. */
        Adoption adoption;
        /** Adopted by the live topology a change starts from: held open there, not reached again. */
        boolean adoptedLive;

        final Map<String, Dev> devices = new LinkedHashMap<>();
        final List<Route> routes = new ArrayList<>();
        /** What removeRoute(...) took out, each matched against {@link #routes} by its {@link Route#key()}. */
        final List<Route> removedRoutes = new ArrayList<>();
        /**
         * The devices taken out of the description, by name, in the order they went: how, for the
         * problem of removing one again and for those of what still depends on one ({@link Removals#dependents}).
         */
        final Map<String, Removal> removedDevices = new LinkedHashMap<>();

        Ns(String name, boolean root) {
            this.name = name;
            this.root = root;
            this.declared = root;
        }

        void declare(int order) {
            if (!declared || declOrder == Integer.MAX_VALUE) {
                declared = true;
                declOrder = Math.min(declOrder, order);
            }
        }

        // get and put, not computeIfAbsent with a lambda: cheaper while the DSL runs interpreted
        Dev dev(String devName) {
            Dev d = devices.get(devName);
            if (d == null) {
                d = new Dev(name, devName);
                devices.put(devName, d);
            }
            return d;
        }
    }

    static final class Dev {
        final String ns;
        final String name;
        Kind kind;
        int declarations;
        final List<Use> usedBy = new ArrayList<>();
        final List<Integer> mtus = new ArrayList<>();
        final List<MacAddress> macs = new ArrayList<>();
        final List<Integer> queues = new ArrayList<>();
        final List<Boolean> ups = new ArrayList<>();
        final List<String> masters = new ArrayList<>();
        final List<IpPrefix> addresses = new ArrayList<>();
        String peerNs;
        String peerName;
        boolean creator;
        boolean quiet;
        String lower;
        /** The settings of its kind alone (null: none), as the builder call of its kind set them. */
        DeviceSettings settings;

        int order;
        /** The link condition declared on this end (null: none), and whether its seed was given. */
        LinkCondition condition;

        boolean seeded;

        Dev(String ns, String name) {
            this.ns = ns;
            this.name = name;
        }

        void declare(Kind k, int order) {
            if (declarations++ == 0) {
                this.kind = k;
                this.order = order;
            }
        }
    }

    /**
     * How a device left the description: {@code by} took it out ({@code removeDevice("e0") in namespace
     * a}, {@code removeNamespace("z")}), as the other end of veth {@code veth} ({@code z/e0}) unless null.
     */
    record Removal(String by, String veth) {
        /** The problem of removing it again. */
        String again() {
            return by + " removed it already" + (veth == null ? "" : ", the other end of veth " + veth);
        }
    }

    /**
     * A use of a device ({@code how}: "dev", "master of", "port of", a kind with a lower device) by
     * {@code by}, for the problem that lists the users of a device never declared: its text is made
     * only then (the DSL runs interpreted in a program's first topologies).
     */
    record Use(String how, String by) {
        String text() {
            return how.equals("dev") ? "dev(\"" + by + "\")" : how + " " + by;
        }
    }

    /**
     * A route declared or removed; {@code metric} and {@code table} are null when not given, and
     * {@code declaredBefore} is -1 for a declaration and, for a removal, the number of routes its
     * namespace had declared when it was called: it removes one of those. {@code eitherFamily} marks a
     * removeRoute("default") without a gateway, whose family is not known until its table and metric
     * are ({@link #ofFamilyAmong}).
     */
    record Route(
            IpPrefix destination,
            InetAddress gateway,
            String dev,
            Integer metric,
            Integer table,
            String text,
            int declaredBefore,
            boolean eitherFamily) {

        Route(IpPrefix destination, InetAddress gateway, String dev, String text) {
            this(destination, gateway, dev, null, null, text, -1, false);
        }

        Route withMetric(int m) {
            return new Route(
                    destination, gateway, dev, m, table, text + ".metric(" + m + ")", declaredBefore, eitherFamily);
        }

        Route withTable(int t) {
            return new Route(
                    destination, gateway, dev, metric, t, text + ".table(" + t + ")", declaredBefore, eitherFamily);
        }

        /** This route as a removal of one of the {@code declared} routes its namespace had when it was called. */
        Route removalAfter(int declared) {
            return new Route(destination, gateway, dev, metric, table, text, declared, eitherFamily);
        }

        /** This removeRoute("default"), its family to be chosen among the routes declared before it. */
        Route ofEitherFamily() {
            return new Route(destination, gateway, dev, metric, table, text, declaredBefore, true);
        }

        /** This removal of "default" as the default route {@code d} of one family, chosen already. */
        Route ofFamily(IpPrefix d) {
            return new Route(d, gateway, dev, metric, table, text, declaredBefore, false);
        }

        /**
         * This removal of "default" as {@code ip route del default [table N] [metric M]} means it: the
         * default route of the one family among the {@code declared} ones that its device, table
         * (main without one) and metric (when given) select, IPv4 when they select none; null when
         * they select both families.
         */
        Route ofFamilyAmong(List<Route> declared) {
            NamespaceRoute mine = resolved("");
            boolean v4 = false;
            boolean v6 = false;
            for (Route r : declared) {
                NamespaceRoute d = r.resolved("");
                if (d.destination().prefixLength() == 0
                        && (dev == null || dev.equals(r.dev))
                        && d.table() == mine.table()
                        && (metric == null || d.metric() == NamespaceRoute.kernelMetric(d.destination(), metric))) {
                    v4 |= d.destination().isIpv4();
                    v6 |= !d.destination().isIpv4();
                }
            }
            if (v4 && v6) {
                return null;
            }
            return ofFamily(IpPrefix.parse(v6 ? "::/0" : "0.0.0.0/0"));
        }

        /** The route as the description holds it, in namespace {@code ns}: its metric and table resolved. */
        NamespaceRoute resolved(String ns) {
            return new NamespaceRoute(
                    ns,
                    destination,
                    gateway,
                    dev,
                    metric == null ? NamespaceRoute.defaultMetric(destination) : metric,
                    table == null ? NamespaceRoute.MAIN_TABLE : table);
        }

        /** What the kernel tells a route by: destination, metric and table (one route of each). */
        List<Object> key() {
            NamespaceRoute r = resolved("");
            return List.of(r.destination(), r.metric(), r.table());
        }
    }
}
