package io.github.netvirt.core;

import io.github.netvirt.core.spec.NamespaceRoute;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.RouteSpec;
import java.util.List;

/**
 * Adds a route to its table (the main table unless told otherwise) of its namespace, and notes the
 * device the kernel put it out of, as the add's echo tells ({@link Resources#routeOutputs}): the proof
 * that this add made it.
 */
record RouteAddStep(TopologySpec spec, NamespaceRoute route) implements Op {

    @Override
    public String ns() {
        return route.ns();
    }

    @Override
    public List<String> commands() {
        return List.of(Iproute2.ip(spec, route.ns()) + "route add " + route.iproute2());
    }

    @Override
    public void carryOut(Kernel k) {
        RouteSpec rs = RouteSpec.to(route.destination());
        if (route.gateway() != null) {
            rs = rs.via(route.gateway());
        }
        if (route.dev() != null) {
            Integer i = k.index(new DeviceKey(route.ns(), route.dev()));
            rs = i != null ? rs.dev(i) : rs.dev(route.dev());
        }
        if (route.metric() != NamespaceRoute.defaultMetric(route.destination())) {
            rs = rs.metric(route.metric());
        }
        if (route.table() != NamespaceRoute.MAIN_TABLE) {
            rs = rs.table(route.table());
        }
        // the echo comes only if this request made the route (an EEXIST is another's route); for a
        // route without a device it tells the one the kernel chose for the gateway, to tell this route
        // from one of the same destination, metric, table and gateway put out of another since
        Resources res = k.res();
        k.batch().routeAdd(rs, made -> res.routeOutputs.put(route, made.outputIndex()));
    }

    @Override
    public String subject() {
        return TopologySpec.label(route.ns()) + ": " + route.iproute2();
    }
}
