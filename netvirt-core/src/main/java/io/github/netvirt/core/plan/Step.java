package io.github.netvirt.core.plan;

import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.core.spec.RouteSpec;
import io.github.netvirt.core.spec.TopologySpec;
import java.util.List;
import java.util.Set;

/**
 * One step of a {@link Plan}: {@code action} carried out through namespace {@code ns} (a logical
 * name), on {@code device} (and {@code address} or {@code route}) where that applies. {@code needs}
 * holds the indexes of earlier steps that must be done first; {@code commands} are the iproute2
 * commands that do the same.
 */
public record Step(int index, Action action, String ns, DeviceSpec device, IpPrefix address, RouteSpec route,
                   Set<Integer> needs, List<String> commands) {

    public Step {
        needs = Set.copyOf(needs);
        commands = List.copyOf(commands);
    }

    /** A one-line description, e.g. {@code #5 LINK_ADD veth net0/net0-bridge peer bridge/bridge-net0}. */
    public String describe() {
        StringBuilder s = new StringBuilder("#").append(index).append(' ').append(action).append(' ');
        switch (action) {
            case NS_ADD:
            case NS_DEL:
            case FORWARDING:
                s.append(TopologySpec.label(ns));
                break;
            case LINK_ADD:
                s.append(device.kind().iproute2()).append(' ').append(device.qualifiedName());
                if (device.isVeth()) {
                    s.append(" peer ").append(TopologySpec.label(device.peerNs())).append('/').append(device.peerName());
                }
                if (device.lower() != null) {
                    s.append(" on ").append(device.lower());
                }
                break;
            case LINK_SET:
                s.append(device.qualifiedName());
                if (device.mtu() > 0) {
                    s.append(" mtu ").append(device.mtu());
                }
                if (device.mac() != null) {
                    s.append(" address ").append(device.mac());
                }
                break;
            case LINK_MASTER:
                s.append(device.qualifiedName()).append(" master ").append(device.master());
                break;
            case LINK_UP:
                s.append(device.qualifiedName()).append(" up");
                break;
            case LINK_DEL:
                s.append(device.qualifiedName());
                break;
            case ADDR_ADD:
            case ADDR_DEL:
                s.append(address).append(" dev ").append(device.qualifiedName());
                break;
            case ROUTE_ADD:
                s.append(TopologySpec.label(ns)).append(": ").append(route.iproute2());
                break;
            default:
                throw new IllegalStateException(action.toString());
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
