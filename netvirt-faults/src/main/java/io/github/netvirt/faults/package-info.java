/**
 * Network faults and conditions at runtime, usable with or without JUnit.
 *
 * <ul>
 *   <li>{@link io.github.netvirt.faults.Reachability}: TCP and UDP probes from any namespace,
 *       {@code awaitReachable}, and {@code pingAll} reporting which pairs fail. Plain Java sockets
 *       opened inside the namespaces: no {@code ping} binary.</li>
 *   <li>{@link io.github.netvirt.faults.Partition} and {@link io.github.netvirt.faults.OneWayLoss}:
 *       silent drops by nftables rules in the hosts' namespaces (this is the one place where the
 *       module runs a program, {@code nft}, through {@code nsenter}).</li>
 *   <li>{@link io.github.netvirt.faults.RateLimit}: a tbf qdisc, over rtnetlink.</li>
 *   <li>{@link io.github.netvirt.faults.Netem}: netem where the kernel has it, detected by trying.</li>
 *   <li>{@link io.github.netvirt.faults.impair.ImpairedLink}: delay, jitter, loss, duplication and
 *       reordering in userspace, between two TAP devices, from a seeded generator: replayable.</li>
 * </ul>
 *
 * Cutting and restoring a link is the topology's own {@code down()}/{@code up()} (netvirt-core).
 */
package io.github.netvirt.faults;
