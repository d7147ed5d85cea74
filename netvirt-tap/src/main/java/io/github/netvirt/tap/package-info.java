/**
 * TAP (Ethernet) and TUN (IP) devices in any network namespace, as frames: {@link
 * io.github.netvirt.tap.TapDevice} opens or creates a device (one queue per handle), reads and
 * writes one frame per call through byte arrays, {@link java.nio.ByteBuffer}s or the
 * {@link io.github.netvirt.tap.FrameInputStream}/{@link io.github.netvirt.tap.FrameOutputStream}
 * pair, and configures it (up, MTU, MAC) through netvirt-netlink. The frame path is JNA direct
 * mapping on raw addresses and allocates nothing; {@code close()} wakes blocked readers through an
 * eventfd before it releases the fd.
 *
 * <p>{@link io.github.netvirt.tap.packet} reads and builds the headers packet tools need;
 * {@link io.github.netvirt.tap.pcap} writes captures that tcpdump and Wireshark open.
 */
package io.github.netvirt.tap;
