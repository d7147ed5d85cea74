/**
 * Network faults and conditions at runtime, usable with or without JUnit.
 *
 * Every fault is in force from the call that makes it (a static factory named for what it does, such as
 * {@code Partition.between} or {@code LinkCut.cut}, or {@code on(namespace, device)} of a
 * {@link io.github.netvirt.faults.RateLimit} or {@link io.github.netvirt.faults.Netem} value) until the
 * {@link io.github.netvirt.faults.Fault} it returns is healed.
 *
 * <ul>
 *   <li>{@link io.github.netvirt.faults.Reachability}: TCP and UDP probes from any namespace,
 *       {@code awaitReachable}, and {@code pingAll} reporting which pairs fail. Plain Java sockets
 *       opened inside the namespaces: no {@code ping} binary.</li>
 *   <li>{@link io.github.netvirt.faults.Partition} and {@link io.github.netvirt.faults.OneWayLoss}:
 *       silent drops by nftables rules in the hosts' namespaces, for all traffic or one
 *       {@link io.github.netvirt.faults.Port}.</li>
 *   <li>{@link io.github.netvirt.faults.ConnectionFault}: trouble on one port of a host, for any client —
 *       new connections refused (SYNs dropped, or reset), established ones reset, or every flow
 *       blackholed while the links stay up (a hung peer) — by nftables rules, no proxy.</li>
 *   <li>{@link io.github.netvirt.faults.LinkCut}: a device set down until healed.</li>
 *   <li>{@link io.github.netvirt.faults.LinkConditionFault}: rate, delay, jitter and loss on a live link of a
 *       netvirt-core topology (netem, or a seeded userspace relay where the kernel has none).</li>
 *   <li>{@link io.github.netvirt.faults.RateLimit}: a tbf qdisc.</li>
 *   <li>{@link io.github.netvirt.faults.PortMirror}: copies of a device's incoming frames on
 *       another device (tc mirred), e.g. a bridge port onto a TAP that a sniffer reads.</li>
 *   <li>{@link io.github.netvirt.faults.Netem}: netem where the kernel has it, detected by trying.</li>
 *   <li>{@link io.github.netvirt.faults.impair.ImpairedLink}: delay, jitter, loss, duplication and
 *       reordering in userspace, between two TAP devices, from a seeded generator: replayable.</li>
 * </ul>
 *
 * Every rtnetlink request (links, addresses, qdiscs, filters) goes through netvirt-netlink's
 * {@link io.github.netvirt.netlink.NetlinkHandle}, one short-lived handle per operation, and every
 * nftables rule through its {@link io.github.netvirt.netlink.nftables.NftHandle}, the one that made
 * the fault's table and owns it until the heal (see below): the module runs no program.
 *
 * <p>Every public constructor and method checks its arguments before anything changes, as netvirt-core's
 * do: a null where a value is needed is a {@link java.lang.NullPointerException} whose message is the
 * parameter's name ({@code Objects.requireNonNull(ns, "ns")}), or names it ({@code "sideA holds a
 * null"}, {@code "hosts maps web to null"}); a value out of range, or hosts that do not fit together
 * (a namespace twice on one side of a partition, or on both), an
 * {@link java.lang.IllegalArgumentException} naming it. A port that a fault may be limited to is left
 * out for every port, never given as null.
 *
 * <p>With netvirt-core, a topology's own {@code down()}/{@code up()} cut and restore links by logical name.
 *
 * <p>After a crash of the JVM ({@code kill -9}), nothing heals, but the nftables table of a
 * {@link io.github.netvirt.faults.Partition}, {@link io.github.netvirt.faults.OneWayLoss} or
 * {@link io.github.netvirt.faults.ConnectionFault} goes all the same, whatever handle it was put
 * through: it is owned by a netlink socket the fault holds until its heal ({@code NFT_TABLE_F_OWNER}),
 * which the kernel deletes it with. No other program may change or delete it meanwhile (EPERM;
 * {@code nft flush ruleset} leaves it). Given a handle that a netvirt-core topology handed out for a
 * namespace it adopted, or for the root namespace, it is in that topology's crash record too (its
 * name before the commit that makes it, the handle the kernel echoed right after), and
 * {@code Topology.cleanup()} finds it gone or deletes it by that handle. A handle opened alone
 * ({@code NetNamespace.open}, no topology) has no record: through such a handle, the root qdisc of a {@link io.github.netvirt.faults.RateLimit} or
 * {@link io.github.netvirt.faults.Netem} (recorded with the handle it is added with, before the add; the cleanup deletes
 * it only if the device's root qdisc still has that handle and kind) and a
 * {@link io.github.netvirt.faults.LinkCut} (recorded by ifindex and name before the down; the cleanup
 * sets the device up only if the device of that ifindex still has that name and is down, and gives
 * back neither the routes through it nor the IPv6 addresses the down took, as the heal does) and a
 * {@link io.github.netvirt.faults.PortMirror} (recorded with the priority, u32 handle and target of
 * its filter and the 16 random bytes of its action's cookie; the cleanup deletes the filter only if
 * the device's ingress qdisc still holds one of that priority and handle whose action carries that cookie, and
 * the qdisc with it only when no other filter is on it, as the heal does) stay after a crash; through a
 * topology's handle they are recorded and cleaned up.
 */
package io.github.netvirt.faults;
