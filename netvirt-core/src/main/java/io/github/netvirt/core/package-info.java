/**
 * The Topology DSL. {@link io.github.netvirt.core.Topology#create()} starts a
 * {@link io.github.netvirt.core.TopologyBuilder} that describes namespaces, devices, addresses and routes;
 * {@code apply()} validates the description ({@link io.github.netvirt.core.InvalidTopologyException}
 * lists every problem), compiles it into a {@link io.github.netvirt.core.Plan}, and builds it in the
 * kernel through netvirt-netlink and netvirt-tap, all of it or (on failure,
 * {@link io.github.netvirt.core.ApplyException}) none of it. The resulting live
 * {@link io.github.netvirt.core.Topology} gives the namespaces, taps and read-back of the kernel's state,
 * and {@code close()} removes what it created. {@link io.github.netvirt.core.Topology#cleanup()} removes
 * what crashed processes left, from their records under {@code /run/netvirt} (system property
 * {@code netvirt.run.dir}), where their identity is proven; it also runs once per JVM in the background.
 */
package io.github.netvirt.core;
