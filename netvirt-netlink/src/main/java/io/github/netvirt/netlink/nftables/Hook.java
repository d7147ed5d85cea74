package io.github.netvirt.netlink.nftables;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a base chain is attached. The kernel numbers hooks per family: inet, ip, ip6 and bridge
 * count the IP stack's ({@code NF_INET_*}, {@code NF_BR_*}: prerouting 0 to postrouting 4, inet's
 * ingress 5), arp its own ({@code NF_ARP_*}: input 0, output 1, forward 2), netdev a device's
 * ({@code NF_NETDEV_*}: ingress 0, egress 1).
 */
public enum Hook {
    PREROUTING,
    INPUT,
    FORWARD,
    OUTPUT,
    POSTROUTING,
    INGRESS,
    EGRESS;

    private static final Map<Family, List<Hook>> BY_NUMBER = new EnumMap<>(Family.class);

    static {
        List<Hook> ip = List.of(PREROUTING, INPUT, FORWARD, OUTPUT, POSTROUTING);
        BY_NUMBER.put(Family.INET, List.of(PREROUTING, INPUT, FORWARD, OUTPUT, POSTROUTING, INGRESS));
        BY_NUMBER.put(Family.IP, ip);
        BY_NUMBER.put(Family.IP6, ip);
        BY_NUMBER.put(Family.BRIDGE, ip);
        BY_NUMBER.put(Family.ARP, List.of(INPUT, OUTPUT, FORWARD));
        BY_NUMBER.put(Family.NETDEV, List.of(INGRESS, EGRESS));
    }

    /**
     * The hook's number in {@code family}.
     *
     * @throws IllegalArgumentException if {@code family} has no such hook (e.g. input in netdev)
     */
    public int number(Family family) {
        int n = BY_NUMBER.get(family).indexOf(this);
        if (n < 0) {
            throw new IllegalArgumentException(
                    "the " + family.nftName() + " family has no " + name().toLowerCase(Locale.ROOT) + " hook");
        }
        return n;
    }

    /** The hook of number {@code n} in {@code family}. @throws IllegalArgumentException if unknown */
    public static Hook of(Family family, int n) {
        Hook h = find(family, n);
        if (h == null) {
            throw new IllegalArgumentException("unknown hook number " + n + " of family " + family.nftName());
        }
        return h;
    }

    /** The hook of number {@code n} in {@code family}, or null for one this enum does not know. */
    static Hook find(Family family, int n) {
        List<Hook> hooks = BY_NUMBER.get(family);
        return n >= 0 && n < hooks.size() ? hooks.get(n) : null;
    }
}
