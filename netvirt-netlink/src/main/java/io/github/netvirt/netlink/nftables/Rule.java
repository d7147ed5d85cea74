package io.github.netvirt.netlink.nftables;

import java.util.ArrayList;
import java.util.List;

/**
 * An nf_tables rule: the chain it belongs to and its expressions, run in order until one does not
 * match or a verdict is set. {@code handle} is 0 in a rule to add, the kernel's number in one read
 * back (delete it by that number: {@link NftTransaction#deleteRule(Rule)}). A rule read back may have
 * no expressions (another program made it so); a new one (handle 0) needs at least one.
 *
 * <p>A new rule is checked and completed as {@code nft} does it, before anything is sent: an address
 * match ({@link Match#source}, {@link Match#destination}) of an IP version the table's family never
 * sees is refused ({@code IllegalArgumentException}: IPv6 in an {@code ip} table, IPv4 in an
 * {@code ip6} table, either in a {@code bridge}, {@code netdev} or {@code arp} table, whose
 * {@code meta nfproto} is never an IP version; {@code inet} takes both), and in an {@code ip} or
 * {@code ip6} table its {@code meta nfproto} is left out, as nft leaves it out there; an icmpx reject
 * ({@link Expr#portUnreachable()}) in an {@code ip} or {@code ip6} table is refused (the kernel's reject
 * there answers icmp and tcp reset only, and drops the rest silently); an icmp reject of a given code
 * ({@code new Expr.Reject(Expr.Reject.ICMP_UNREACH, code)}) in an {@code inet}, {@code bridge} or
 * {@code netdev} table is refused unless the rule matches the IP version first ({@code meta nfproto}
 * in inet, which an address match carries; {@code meta protocol} or the ether type in bridge and
 * netdev): the kernel would answer IPv4 with ICMP and IPv6 with ICMPv6 of that one code, e.g. ICMPv6
 * address unreachable for icmp port unreachable (3); a tcp reset ({@link
 * Expr#tcpReset()}) after a match of another protocol is refused, and one without any protocol match
 * gets {@code meta l4proto tcp} first, as nft adds it, so other packets go on to the next rule instead
 * of being dropped unanswered. A rule read back is kept as the kernel has it.
 *
 * <pre>
 * Rule r = Rule.in(Family.INET, "t", "input")
 *         .match(Match.destinationPort(Match.TCP, 8080))
 *         .match(Match.tcpFlags(Match.SYN | Match.ACK, Match.SYN))
 *         .then(Expr.drop());
 * </pre>
 */
public record Rule(Family family, String table, String chain, long handle, List<Expr> expressions) {
    public Rule {
        if (family == null) {
            throw new IllegalArgumentException("a rule needs a family");
        }
        Names.check("table", table);
        Names.check("chain", chain);
        // the kernel keeps a rule without expressions (nft -j makes one of "expr": []); one to add needs some
        if (expressions == null || expressions.isEmpty() && handle == 0) {
            throw new IllegalArgumentException("a rule needs expressions");
        }
        expressions = List.copyOf(expressions);
        if (handle == 0) {
            expressions = RuleCheck.toAdd(family, table, expressions);
        }
    }

    /** Starts a rule for chain {@code chain} of table {@code table}. */
    public static Builder in(Family family, String table, String chain) {
        return new Builder(family, table, chain);
    }

    /** Builds a rule: matches, then an action. Not thread-safe. */
    public static final class Builder {
        private final Family family;
        private final String table;
        private final String chain;
        private final List<Expr> exprs = new ArrayList<>();

        private Builder(Family family, String table, String chain) {
            this.family = family;
            this.table = table;
            this.chain = chain;
        }

        /** Appends the expressions of a match ({@link Match}). */
        public Builder match(List<Expr> expressions) {
            exprs.addAll(expressions);
            return this;
        }

        /** Appends one expression (e.g. {@link Expr#counter()}). */
        public Builder add(Expr e) {
            exprs.add(e);
            return this;
        }

        /** Appends the final action and returns the rule. */
        public Rule then(Expr action) {
            exprs.add(action);
            return new Rule(family, table, chain, 0, exprs);
        }
    }
}
