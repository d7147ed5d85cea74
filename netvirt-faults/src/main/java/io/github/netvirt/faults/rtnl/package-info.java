/**
 * A minimal rtnetlink client for what netvirt-faults needs and netvirt-netlink does not offer
 * (queueing disciplines), plus the few link and address calls used on the impaired link's own TAP
 * devices. Internal to the module; not an API.
 */
package io.github.netvirt.faults.rtnl;
