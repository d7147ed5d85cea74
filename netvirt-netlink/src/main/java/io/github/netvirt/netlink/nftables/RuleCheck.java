package io.github.netvirt.netlink.nftables;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code nft} does to a rule before sending it, done to a {@link Rule} to add: a match of the IP
 * version its table's family never sees is refused (nft: "conflicting protocols"), the {@code meta
 * nfproto} of an address match is left out of an ip or ip6 table (always true there), an icmpx reject
 * is refused there (the kernel's ip and ip6 reject drop it without an answer), an icmp reject of an
 * inet, bridge or netdev rule that has not matched the IP version before it is refused (nft adds
 * {@code meta nfproto}, or {@code meta protocol}, of the version its words name; the kernel answers
 * either version with the code taken as its own ICMP version's), and a tcp reset gets the {@code meta
 * l4proto tcp} nft puts first in the rule unless the rule matches TCP already (without it the kernel
 * drops every other packet without an answer). A protocol matched twice ({@code meta l4proto}: a
 * TCP port, then {@link Match#tcpFlags}) is sent once, as nft sends it, and a match of a second
 * protocol, which can never match, is refused. Rules read back are left as they are.
 */
final class RuleCheck {
    private static final int NFPROTO_IPV4 = 2;
    private static final int NFPROTO_IPV6 = 10;
    private static final int ETH_P_IP = 0x0800;
    private static final int ETH_P_IPV6 = 0x86dd;
    private static final int ETHER_TYPE_OFFSET = 12;

    private RuleCheck() {}

    /** {@code exprs}, with the dependencies nft would add, of a rule to add to {@code family}'s {@code table}. */
    static List<Expr> toAdd(Family family, String table, List<Expr> exprs) {
        Map<Integer, Integer> metaIn = new HashMap<>(); // register -> the meta key last loaded into it
        Set<Integer> etherTypeIn = new HashSet<>(); // registers holding the link header's ether type
        Integer l4proto = null; // the protocol of the first "meta l4proto == P"
        boolean ipVersion = family == Family.IP || family == Family.IP6; // matched before the expression at hand
        boolean needsTcp = false;
        List<Expr> kept = new ArrayList<>(exprs.size());
        Expr previous = null;
        for (int i = 0; i < exprs.size(); i++) {
            Expr e = exprs.get(i);
            if (e instanceof Expr.Cmp c && c.op() == Expr.Cmp.Op.EQ && c.data().length == 2) {
                Integer key = metaIn.get(c.sreg());
                int value = ((c.data()[0] & 0xff) << 8) | (c.data()[1] & 0xff);
                if (((key != null && key == Expr.Meta.PROTOCOL) || etherTypeIn.contains(c.sreg()))
                        && (value == ETH_P_IP || value == ETH_P_IPV6)) {
                    ipVersion = true;
                }
            } else if (e instanceof Expr.Cmp c && c.op() == Expr.Cmp.Op.EQ && c.data().length == 1) {
                Integer key = metaIn.get(c.sreg());
                int value = Byte.toUnsignedInt(c.data()[0]);
                if (key != null && key == Expr.Meta.NFPROTO) {
                    checkIpVersion(family, table, value);
                    ipVersion |= value == NFPROTO_IPV4 || value == NFPROTO_IPV6;
                    if ((family == Family.IP || family == Family.IP6)
                            && previous instanceof Expr.Meta m
                            && m.key() == Expr.Meta.NFPROTO
                            && m.dreg() == c.sreg()) {
                        // always true in ip and ip6, where nft sends no such match; nft 1.0.6 cannot list
                        // an ip table whose address match has it (payload_expr_expand's assertion)
                        kept.remove(kept.size() - 1);
                        written(e, metaIn, etherTypeIn);
                        previous = e;
                        continue;
                    }
                } else if (key != null && key == Expr.Meta.L4PROTO) {
                    if (l4proto == null) {
                        l4proto = value;
                    } else if (l4proto != value) {
                        throw new IllegalArgumentException("a match of protocol " + value + " after one of protocol "
                                + l4proto + " (meta l4proto) in a rule of " + family.nftName() + " table " + table
                                + " can never match (nft: conflicting protocols specified)");
                    } else if (previous instanceof Expr.Meta m
                            && m.key() == Expr.Meta.L4PROTO
                            && m.dreg() == c.sreg()
                            && i + 1 < exprs.size()
                            && loads(exprs.get(i + 1), c.sreg())) {
                        // matched already (e.g. a TCP port, then Match.tcpFlags): nft sends it once
                        kept.remove(kept.size() - 1);
                        written(e, metaIn, etherTypeIn);
                        previous = e;
                        continue;
                    }
                }
            } else if (e instanceof Expr.Reject r
                    && r.type() == Expr.Reject.ICMPX_UNREACH
                    && (family == Family.IP || family == Family.IP6)) {
                // the kernel's ip and ip6 reject answer "icmp" and "tcp reset" only, and drop the rest silently
                throw new IllegalArgumentException("reject with icmpx in a rule of " + family.nftName() + " table "
                        + table + " would drop without an answer: the " + family.nftName()
                        + " family's reject answers icmp" + (family == Family.IP6 ? "v6" : "")
                        + " or tcp reset only; use an inet table (nft: abstracted ICMP unreachable not supported)");
            } else if (e instanceof Expr.Reject r && r.type() == Expr.Reject.ICMP_UNREACH && !ipVersion) {
                throw icmpWithoutIpVersion(family, table, r.code());
            } else if (e instanceof Expr.Reject r && r.type() == Expr.Reject.TCP_RST) {
                if (l4proto == null) {
                    needsTcp = true;
                } else if (l4proto != Match.TCP) {
                    throw new IllegalArgumentException("reject with tcp reset after a match of protocol " + l4proto
                            + " (meta l4proto) in a rule of " + family.nftName() + " table " + table
                            + ": a tcp reset answers TCP only (nft: you cannot use tcp reset with this protocol)");
                }
            }
            written(e, metaIn, etherTypeIn);
            kept.add(e);
            previous = e;
        }
        if (!needsTcp) {
            return kept.size() == exprs.size() ? exprs : List.copyOf(kept);
        }
        List<Expr> out = new ArrayList<>(Match.protocol(Match.TCP));
        out.addAll(kept);
        return List.copyOf(out);
    }

    /** Whether {@code e} loads a new value into {@code reg} (without reading it). */
    private static boolean loads(Expr e, int reg) {
        return e instanceof Expr.Meta m && m.dreg() == reg
                || e instanceof Expr.Payload p && p.dreg() == reg
                || e instanceof Expr.Ct c && c.dreg() == reg
                || e instanceof Expr.Numgen n && n.dreg() == reg;
    }

    /** Tracks which registers hold a meta key, and which the ether type, after {@code e}. */
    private static void written(Expr e, Map<Integer, Integer> metaIn, Set<Integer> etherTypeIn) {
        Integer dreg = null;
        if (e instanceof Expr.Meta m) {
            dreg = m.dreg();
        } else if (e instanceof Expr.Payload p) {
            dreg = p.dreg();
        } else if (e instanceof Expr.Ct c) {
            dreg = c.dreg();
        } else if (e instanceof Expr.Numgen n) {
            dreg = n.dreg();
        } else if (e instanceof Expr.Bitwise b) {
            dreg = b.dreg();
        } else if (e instanceof Expr.Byteorder b) {
            dreg = b.dreg();
        }
        if (e instanceof Expr.Other) {
            metaIn.clear(); // may write any register
            etherTypeIn.clear();
        } else if (dreg != null) {
            metaIn.remove(dreg);
            etherTypeIn.remove(dreg);
            if (e instanceof Expr.Meta m) {
                metaIn.put(dreg, m.key());
            } else if (e instanceof Expr.Payload p
                    && p.base() == Expr.Payload.LINK
                    && p.offset() == ETHER_TYPE_OFFSET
                    && p.len() == 2) {
                etherTypeIn.add(dreg); // nft's "ether type"
            }
        }
    }

    /**
     * An icmp reject ({@code NFT_REJECT_ICMP_UNREACH}) where the packet may be IPv4 or IPv6: the kernel
     * answers each with its own ICMP version and takes the code as a code of that version (icmp port
     * unreachable, 3, answers IPv6 with ICMPv6 address unreachable; icmpv6 port unreachable, 4, answers
     * IPv4 with ICMP fragmentation needed). nft puts the version its words name first; a code alone
     * does not name it.
     */
    private static IllegalArgumentException icmpWithoutIpVersion(Family family, String table, int code) {
        String match = family == Family.INET
                ? "meta nfproto ipv4 or ipv6 (Expr.Meta.NFPROTO; an address match carries it)"
                : "meta protocol ip or ip6 (Expr.Meta.PROTOCOL, or the ether type)";
        return new IllegalArgumentException("reject with icmp code " + code + " in a rule of " + family.nftName()
                + " table " + table + " does not say IPv4 or IPv6, and the kernel would answer either with"
                + " this code of its own ICMP version: match " + match + " before it, as nft adds it, or"
                + " use an icmpx reject (Expr.portUnreachable())");
    }

    /**
     * The kernel's {@code meta nfproto} is the family of the chain's hook: ipv4 in ip, ipv6 in ip6,
     * either in inet, and bridge, netdev or arp in those (never an IP version: nft says "meta nfproto is
     * only useful in the inet family").
     */
    private static void checkIpVersion(Family family, String table, int nfproto) {
        if (nfproto != NFPROTO_IPV4 && nfproto != NFPROTO_IPV6) {
            return;
        }
        boolean v4 = nfproto == NFPROTO_IPV4;
        String seen = switch (family) {
            case INET -> null;
            case IP -> v4 ? null : "the ip family sees IPv4 only";
            case IP6 -> v4 ? "the ip6 family sees IPv6 only" : null;
            default -> "meta nfproto is " + family.nftName() + " there, never ipv4 or ipv6";
        };
        if (seen != null) {
            String version = v4 ? "IPv4" : "IPv6";
            throw new IllegalArgumentException("an " + version + " match (meta nfproto " + (v4 ? "ipv4" : "ipv6")
                    + ") in a rule of " + family.nftName() + " table " + table + " can never match: " + seen
                    + "; put it in an inet or " + (v4 ? "ip" : "ip6") + " table");
        }
    }
}
