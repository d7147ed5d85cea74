package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netns.internal.Require;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * What {@code ip addr add} takes: an address/prefix on a link, with optional peer, broadcast, label
 * and scope. Immutable; each setter returns a new spec.
 */
public final class AddressSpec {
    final LinkRef link;
    final IpPrefix prefix;
    final InetAddress peer;
    final InetAddress broadcast;
    final String label;
    final int scope;
    final int flags;
    /** The metric of its prefix route, 0: the kernel's. */
    final int metric;
    /** Seconds; {@link Nl#IFA_FOREVER}: forever (both forever: no {@code IFA_CACHEINFO} is sent). */
    final long preferredLifetime;

    final long validLifetime;

    private AddressSpec(
            LinkRef link, IpPrefix prefix, InetAddress peer, InetAddress broadcast, String label, int scope) {
        this(link, prefix, peer, broadcast, label, scope, 0);
    }

    private AddressSpec(
            LinkRef link,
            IpPrefix prefix,
            InetAddress peer,
            InetAddress broadcast,
            String label,
            int scope,
            int flags) {
        this(link, prefix, peer, broadcast, label, scope, flags, 0, Nl.IFA_FOREVER, Nl.IFA_FOREVER);
    }

    private AddressSpec(
            LinkRef link,
            IpPrefix prefix,
            InetAddress peer,
            InetAddress broadcast,
            String label,
            int scope,
            int flags,
            int metric,
            long preferredLifetime,
            long validLifetime) {
        this.metric = metric;
        this.preferredLifetime = preferredLifetime;
        this.validLifetime = validLifetime;
        this.flags = flags;
        this.link = link;
        this.prefix = prefix;
        this.peer = peer;
        this.broadcast = broadcast;
        this.label = label;
        this.scope = scope;
    }

    /** {@code prefix} on the link named {@code link}. */
    public static AddressSpec of(String link, IpPrefix prefix) {
        return new AddressSpec(LinkRef.of(link), check(prefix), null, null, null, Nl.RT_SCOPE_UNIVERSE);
    }

    /** {@code prefix} on the link with ifindex {@code index}. */
    public static AddressSpec of(int index, IpPrefix prefix) {
        return new AddressSpec(LinkRef.of(index), check(prefix), null, null, null, Nl.RT_SCOPE_UNIVERSE);
    }

    private static IpPrefix check(IpPrefix p) {
        if (p == null) {
            throw new IllegalArgumentException("prefix is null");
        }
        return p;
    }

    /**
     * A point-to-point peer (same family as the address), with the prefix length of this spec's
     * prefix: {@code of(link, 10.0.0.1/24).peer(10.1.0.1)} is {@code ip addr add 10.0.0.1 peer
     * 10.1.0.1/24} (a route to 10.1.0.0/24), where {@code ip addr add 10.0.0.1/24 peer 10.1.0.1} would
     * take the peer's /32.
     */
    public AddressSpec peer(InetAddress peer) {
        sameFamily(peer, "peer");
        return new AddressSpec(link, prefix, peer, broadcast, label, scope, flags);
    }

    /** An IPv4 broadcast address. */
    public AddressSpec broadcast(InetAddress broadcast) {
        if (!(broadcast instanceof Inet4Address) || !prefix.isIpv4()) {
            throw new IllegalArgumentException("broadcast exists only for IPv4 addresses");
        }
        return new AddressSpec(link, prefix, peer, broadcast, label, scope, flags);
    }

    /**
     * An IPv4 label such as {@code eth0:1}, 1..15 bytes. {@code ip addr} wants it to start with the
     * link's name; the kernel, and this spec, take any.
     */
    public AddressSpec label(String label) {
        if (!prefix.isIpv4() || label.isEmpty() || label.length() > 15) {
            throw new IllegalArgumentException("bad label \"" + label + "\" (IPv4 only, 1..15 bytes)");
        }
        return new AddressSpec(link, prefix, peer, broadcast, label, scope, flags);
    }

    /** {@code RT_SCOPE_*}: 0 global, 253 link, 254 host. */
    public AddressSpec scope(int scope) {
        Require.inRange(scope, 0, 255, "scope");
        return new AddressSpec(link, prefix, peer, broadcast, label, scope, flags);
    }

    /** IPv6: skip duplicate address detection ({@code nodad}), so the address is usable at once. */
    public AddressSpec noDad() {
        if (prefix.isIpv4()) {
            throw new IllegalArgumentException("nodad applies to IPv6 addresses only");
        }
        return new AddressSpec(link, prefix, peer, broadcast, label, scope, flags | Nl.IFA_F_NODAD);
    }

    /**
     * As {@code address} was listed, for {@link DownedLink} to add it again: its flags that a request
     * sets ({@code nodad}, {@code noprefixroute}, {@code mngtmpaddr}, {@code home}), the metric of its
     * prefix route, and its lifetimes, {@code elapsed} seconds shorter when not forever.
     */
    AddressSpec as(Address address, long elapsed) {
        int kept = address.flags()
                & (Nl.IFA_F_NODAD | Nl.IFA_F_NOPREFIXROUTE | Nl.IFA_F_MANAGETEMPADDR | Nl.IFA_F_HOMEADDRESS);
        long preferred = address.preferredLifetime();
        long valid = address.validLifetime();
        if (valid != Nl.IFA_FOREVER) {
            valid = Math.max(1, valid - elapsed);
        }
        if (preferred != Nl.IFA_FOREVER) {
            preferred = Math.max(0, Math.min(valid, preferred - elapsed)); // 0: deprecated
        }
        return new AddressSpec(
                link, prefix, peer, broadcast, label, scope, flags | kept, address.metric(), preferred, valid);
    }

    private void sameFamily(InetAddress a, String what) {
        if ((a instanceof Inet4Address) != prefix.isIpv4()) {
            throw new IllegalArgumentException(what + " " + IpPrefix.format(a) + " is not of the family of " + prefix);
        }
    }

    public IpPrefix prefix() {
        return prefix;
    }

    @Override
    public String toString() {
        return prefix + (peer != null ? " peer " + IpPrefix.format(peer) : "") + " dev " + link;
    }
}
