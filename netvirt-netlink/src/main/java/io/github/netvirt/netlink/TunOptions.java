package io.github.netvirt.netlink;

/**
 * The options of a TUN/TAP device as the kernel reports them ({@code IFLA_INFO_DATA} of kind
 * {@code tun}, as {@code ip -d link show} prints them): an immutable snapshot.
 *
 * @param index the device's ifindex
 * @param tap a TAP (Ethernet) device; false for a TUN (IP) device ({@code IFLA_TUN_TYPE})
 * @param packetInfo frames carry the 4-byte {@code struct tun_pi} prefix ({@code IFLA_TUN_PI})
 * @param vnetHdr frames carry a {@code virtio_net_hdr} ({@code IFLA_TUN_VNET_HDR})
 * @param multiQueue a multi-queue device ({@code IFLA_TUN_MULTI_QUEUE})
 * @param persistent the device outlives its fds ({@code IFLA_TUN_PERSIST})
 */
public record TunOptions(
        int index, boolean tap, boolean packetInfo, boolean vnetHdr, boolean multiQueue, boolean persistent) {}
