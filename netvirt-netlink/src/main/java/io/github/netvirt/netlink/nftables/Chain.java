package io.github.netvirt.netlink.nftables;

/**
 * An nf_tables chain. A base chain ({@link #base}) is attached to a {@link Hook} of its family (the
 * device of a netdev or ingress chain is not modelled: such a chain is read back, never added) with a
 * priority (lower runs first; {@code
 * filter} is 0) and a policy for packets no rule decided; a regular chain ({@link #regular}) has none
 * of these ({@code hook} and {@code policy} null). {@code handle} is 0 in a chain to create, the
 * kernel's number in one read back.
 */
public record Chain(
        Family family, String table, String name, long handle, String type, Hook hook, int priority, Verdict policy) {
    public Chain {
        if (family == null) {
            throw new IllegalArgumentException("a chain needs a family");
        }
        Names.check("table", table);
        Names.check("chain", name);
        if (hook != null && (type == null || policy == null)) {
            throw new IllegalArgumentException("base chain " + name + " needs a type and a policy");
        }
        if (hook != null) {
            hook.number(family); // refuses a hook the family does not have
        }
        if (policy != null && policy != Verdict.ACCEPT && policy != Verdict.DROP) {
            throw new IllegalArgumentException("a chain's policy is accept or drop, not " + policy);
        }
    }

    /** A {@code filter} base chain: {@code type filter hook HOOK priority PRIORITY; policy POLICY;}. */
    public static Chain base(Family family, String table, String name, Hook hook, int priority, Verdict policy) {
        if (hook == null) {
            throw new IllegalArgumentException("a base chain needs a hook");
        }
        return new Chain(family, table, name, 0, "filter", hook, priority, policy);
    }

    /** A chain without a hook, reached only by jumps. */
    public static Chain regular(Family family, String table, String name) {
        return new Chain(family, table, name, 0, null, null, 0, null);
    }

    public boolean isBase() {
        return hook != null;
    }
}
