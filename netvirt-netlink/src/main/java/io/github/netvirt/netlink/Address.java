package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.Nl;
import java.net.InetAddress;

/**
 * An interface address ({@code RTM_NEWADDR}), as {@code ip addr} lists it.
 *
 * @param index ifindex of the link
 * @param prefix the local address and prefix length ({@code IFA_LOCAL}, or {@code IFA_ADDRESS} for IPv6)
 * @param peer the peer of a point-to-point address, null when none
 * @param broadcast IPv4 broadcast address, null when none
 * @param scope {@code RT_SCOPE_*} (0 global, 253 link, 254 host)
 * @param label IPv4 label, empty when none
 * @param flags {@code IFA_F_*}
 * @param protocol {@code IFA_PROTO} (Linux 6.1+): who made it, 3 ({@code kernel_ll}) for the link-local
 *     address the kernel makes as the link goes up, 2 ({@code kernel_ra}) for one from a router
 *     advertisement; 0 when unset (an address someone added, or an older kernel)
 * @param metric the metric of its prefix route ({@code IFA_RT_PRIORITY}, {@code ip addr add ... metric N}); 0 when none
 * @param preferredLifetime seconds left of its preferred lifetime when listed ({@code IFA_CACHEINFO}),
 *     {@link Nl#IFA_FOREVER} for forever
 * @param validLifetime seconds left of its valid lifetime when listed, {@link Nl#IFA_FOREVER} for forever
 */
public record Address(
        int index,
        IpPrefix prefix,
        InetAddress peer,
        InetAddress broadcast,
        int scope,
        String label,
        int flags,
        int protocol,
        int metric,
        long preferredLifetime,
        long validLifetime) {
    /** An address without {@code IFA_PROTO} or metric, forever. */
    public Address(
            int index, IpPrefix prefix, InetAddress peer, InetAddress broadcast, int scope, String label, int flags) {
        this(index, prefix, peer, broadcast, scope, label, flags, 0, 0, Nl.IFA_FOREVER, Nl.IFA_FOREVER);
    }

    public boolean isIpv4() {
        return prefix.isIpv4();
    }

    /**
     * Whether this IPv4 address is a secondary ({@code IFA_F_SECONDARY}): one added while its link
     * already had an address on the same subnet (same prefix length and network), the primary.
     * Deleting the primary deletes its secondaries too, unless {@code promote_secondaries} is set.
     */
    public boolean isSecondary() {
        return (flags & Nl.IFA_F_SECONDARY) != 0;
    }

    /**
     * IPv6: still under the kernel's duplicate address detection ({@code tentative}): not usable yet,
     * a bind to it fails with {@code EADDRNOTAVAIL}.
     */
    public boolean isTentative() {
        return (flags & Nl.IFA_F_TENTATIVE) != 0;
    }

    /** IPv6: duplicate address detection found the address in use on the link ({@code dadfailed}); it stays unusable. */
    public boolean isDadFailed() {
        return (flags & Nl.IFA_F_DADFAILED) != 0;
    }
}
