/**
 * Allocation-free views of the headers a packet tool reads most (Ethernet, ARP, IPv4, IPv6, ICMP,
 * UDP, TCP) over a {@link java.nio.ByteBuffer}, a {@link io.github.netvirt.tap.packet.FrameView}
 * that dissects a whole frame without throwing on garbage, and builders for ARP and ICMP echo frames
 * with their checksums. MAC addresses are {@code long}s (48 low bits) and IPv4 addresses
 * {@code int}s, in network order, so that nothing is allocated per frame.
 */
package io.github.netvirt.tap.packet;
