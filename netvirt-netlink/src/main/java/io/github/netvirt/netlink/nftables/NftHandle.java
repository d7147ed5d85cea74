package io.github.netvirt.netlink.nftables;

import io.github.netvirt.netlink.NetlinkChannel;
import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netns.NetNamespace;
import java.time.Duration;
import java.util.List;

/**
 * An nf_tables client bound to one network namespace: {@code nft add/delete table|chain|rule} and
 * {@code nft list} from Java, spoken over NETLINK_NETFILTER, without the {@code nft} program. Changes
 * go through {@link #transaction()} (atomic); the ruleset is read back with {@link #tables()},
 * {@link #chains} and {@link #rules}. Thread-safe: requests are serialised on the handle's socket.
 *
 * <pre>
 * try (NftHandle nft = NftHandle.open(ns)) {
 *     nft.transaction().createTable(Table.of(Family.INET, "t")).commit();
 *     List&lt;Rule&gt; rules = nft.rules(Family.INET, "t", "input");
 * }
 * </pre>
 */
public final class NftHandle implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final NetlinkChannel channel;

    private NftHandle(NetlinkChannel channel) {
        this.channel = channel;
    }

    /**
     * Opens a handle whose socket lives in {@code ns}.
     *
     * @throws NetlinkException when the socket cannot be created
     */
    public static NftHandle open(NetNamespace ns) {
        return new NftHandle(NetlinkChannel.open(ns, Nl.NETLINK_NETFILTER, TIMEOUT));
    }

    public NetNamespace namespace() {
        return channel.namespace();
    }

    /** Starts an atomic set of changes. */
    public NftTransaction transaction() {
        return new NftTransaction(channel);
    }

    /** Every table of the namespace ({@code nft list tables}). */
    public List<Table> tables() {
        return channel.dump(
                Nft.type(Nft.MSG_GETTABLE), w -> NftCodec.nfgen(w, 0, 0), NftCodec::decodeTable, "list tables");
    }

    /**
     * The chains of table {@code table} of {@code family}, each base chain's hook read by its family's
     * numbering (netdev's ingress and egress, arp's input and output); base chains on a hook {@link Hook}
     * does not know (one newer than this code) are left out.
     */
    public List<Chain> chains(Family family, String table) {
        Names.check("table", table);
        return channel
                .dump(
                        Nft.type(Nft.MSG_GETCHAIN),
                        w -> NftCodec.nfgen(w, family.code(), 0),
                        NftCodec::decodeChain,
                        "list chains " + family.nftName() + " " + table)
                .stream()
                .filter(c -> c.table().equals(table) && c.family() == family)
                .toList();
    }

    /**
     * The rules of chain {@code chain} of table {@code table}, in order, with their handles and
     * counters ({@code nft -a list chain}); empty when there is no such table or chain (the kernel's
     * dump filters by them, it does not check them).
     *
     * @throws NetlinkException when the exchange fails
     */
    public List<Rule> rules(Family family, String table, String chain) {
        Names.check("table", table);
        Names.check("chain", chain);
        return channel.dump(
                Nft.type(Nft.MSG_GETRULE),
                w -> {
                    NftCodec.nfgen(w, family.code(), 0);
                    w.string(Nft.RULE_TABLE, table);
                    w.string(Nft.RULE_CHAIN, chain);
                },
                NftCodec::decodeRule,
                "list chain " + family.nftName() + " " + table + " " + chain);
    }

    /** Closes the socket; idempotent. */
    @Override
    public void close() {
        channel.close();
    }

    @Override
    public String toString() {
        return "NftHandle[" + channel.namespace() + "]";
    }
}
