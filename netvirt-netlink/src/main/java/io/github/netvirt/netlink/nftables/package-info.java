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
 *
 * <p>What {@code nft} refuses is refused before anything is sent, with an {@code
 * IllegalArgumentException}: names it could not read back ({@link io.github.netvirt.netlink.nftables.Table}),
 * rules that could never match or answer ({@link io.github.netvirt.netlink.nftables.Rule}); and what it
 * adds to a rule is added (a tcp reset's {@code meta l4proto tcp}). Reading a table or chain that does
 * not exist is an ENOENT {@link io.github.netvirt.netlink.NetlinkException}, as in {@code nft list}.
 */
package io.github.netvirt.netlink.nftables;
