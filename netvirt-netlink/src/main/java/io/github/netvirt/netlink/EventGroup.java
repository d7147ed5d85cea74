package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.Nl;

/** rtnetlink multicast groups a subscription can join ({@code RTNLGRP_*}). */
public enum EventGroup {
    /**
     * Links created, changed, deleted ({@code RTNLGRP_LINK}). A bridge's notices about its ports (family
     * {@code AF_BRIDGE}, which {@code ip monitor link} prints, "Deleted" when a port leaves the bridge)
     * are left out: the port's own messages come beside them.
     */
    LINK(Nl.RTNLGRP_LINK),
    /** IPv4 addresses ({@code RTNLGRP_IPV4_IFADDR}). */
    IPV4_ADDRESS(Nl.RTNLGRP_IPV4_IFADDR),
    /** IPv6 addresses ({@code RTNLGRP_IPV6_IFADDR}). */
    IPV6_ADDRESS(Nl.RTNLGRP_IPV6_IFADDR),
    /** IPv4 routes ({@code RTNLGRP_IPV4_ROUTE}). */
    IPV4_ROUTE(Nl.RTNLGRP_IPV4_ROUTE),
    /** IPv6 routes ({@code RTNLGRP_IPV6_ROUTE}). */
    IPV6_ROUTE(Nl.RTNLGRP_IPV6_ROUTE),
    /** Neighbour and FDB entries ({@code RTNLGRP_NEIGH}). */
    NEIGHBOR(Nl.RTNLGRP_NEIGH);

    final int group;

    EventGroup(int group) {
        this.group = group;
    }
}
