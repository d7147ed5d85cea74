/**
 * nf_tables over netlink: the subset of {@code nft} that packet faults need — tables, base chains,
 * rules built from expressions ({@link io.github.netvirt.netlink.nftables.Expr},
 * {@link io.github.netvirt.netlink.nftables.Match}), deletion by handle, and dumps that read the
 * ruleset back — without the {@code nft} program.
 *
 * <p>{@link io.github.netvirt.netlink.nftables.NftHandle} is bound to one namespace; changes are
 * atomic {@link io.github.netvirt.netlink.nftables.NftTransaction}s (one nfnetlink batch in one
 * datagram, every message acknowledged, so an error names the refused message). Expressions are
 * encoded as {@code nft} 1.0 encodes them, which tests check byte for byte against its captured output.
 */
package io.github.netvirt.netlink.nftables;
