package io.github.netvirt.core.spec;

import io.github.netvirt.netlink.LinkSpec;
import java.util.List;

/**
 * The settings only one kind of device has (a macvlan's mode, a vxlan's VNI and peer): one record
 * per such kind, {@link DeviceSpec#settings()}. A record checks itself and gives the kind-specific
 * part of its device's creating request both as iproute2 words and as a netlink request, so that
 * {@code toScript()} and {@code apply()} cannot differ. A kind without settings of its own has none
 * (null): its device is made by its kind's name alone. Implemented by the records of this package;
 * {@code TopologyBuilder} is the way in.
 */
public interface DeviceSettings {

    /** What is wrong with these settings on {@code device}, one text each; empty when nothing is. */
    List<String> problems(DeviceSpec device);

    /** The words of {@code ip link add name DEV [mtu, address]} from {@code type} on (a lower device before it). */
    String iproute2(DeviceSpec device);

    /**
     * The netlink request that creates {@code device}; its settings common to every kind are the
     * caller's. {@code lower}: the ifindex of its {@link DeviceSpec#lower()} where the topology knows
     * the device by it, else null (named).
     */
    LinkSpec<?> request(DeviceSpec device, Integer lower);

    /** What a diagram shows after the kind's name (empty for nothing). */
    default String summary() {
        return "";
    }
}
