package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.Nl;

/** rtnetlink multicast groups a subscription can join ({@code RTNLGRP_*}). */
public enum EventGroup {
    LINK(Nl.RTNLGRP_LINK),
    IPV4_ADDRESS(Nl.RTNLGRP_IPV4_IFADDR),
    IPV6_ADDRESS(Nl.RTNLGRP_IPV6_IFADDR),
    IPV4_ROUTE(Nl.RTNLGRP_IPV4_ROUTE),
    IPV6_ROUTE(Nl.RTNLGRP_IPV6_ROUTE),
    NEIGHBOR(Nl.RTNLGRP_NEIGH);

    final int group;

    EventGroup(int group) {
        this.group = group;
    }
}
