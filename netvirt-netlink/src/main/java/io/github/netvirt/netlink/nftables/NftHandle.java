package io.github.netvirt.netlink.nftables;

import io.github.netvirt.netlink.NetlinkChannel;
import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netlink.codec.NlWriter;
import io.github.netvirt.netns.NetNamespace;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

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

    /**
     * The ruleset's generation now: the kernel counts every commit in the namespace, this JVM's and
     * others' ({@code nft}'s genid). Read it before what a transaction acts on, and give it to
     * {@link NftTransaction#ifGeneration}: the commit is then refused if anything changed since.
     *
     * @throws NetlinkException when the exchange fails
     */
    public long generation() {
        long[] gen = {0};
        NetlinkException e = channel.sendAll(
                        List.of(new NetlinkChannel.Message(
                                Nft.type(Nft.MSG_GETGEN),
                                Nl.NLM_F_ACK,
                                "get generation",
                                w -> NftCodec.nfgen(w, 0, 0))),
                        (m, i) -> {
                            if (m.type() == Nft.type(Nft.MSG_NEWGEN)) {
                                gen[0] = Integer.toUnsignedLong(
                                        m.attrs(Nft.NFGENMSG_LEN).be32(Nft.GEN_ID));
                            }
                        })
                .get(0);
        if (e != null) {
            throw e;
        }
        return gen[0];
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
     *
     * @throws NetlinkException ENOENT when there is no such table ({@code nft list table} fails too);
     *     when the exchange fails
     */
    public List<Chain> chains(Family family, String table) {
        Names.check("table", table);
        String what = "list chains " + family.nftName() + " " + table;
        List<Chain> chains = channel
                .dump(Nft.type(Nft.MSG_GETCHAIN), w -> NftCodec.nfgen(w, family.code(), 0), NftCodec::decodeChain, what)
                .stream()
                .filter(c -> c.table().equals(table) && c.family() == family)
                .toList();
        if (chains.isEmpty()) {
            requireExists(Nft.MSG_GETTABLE, w -> NftCodec.tableRef(w, family, table, 0), what);
        }
        return chains;
    }

    /**
     * The rules of chain {@code chain} of table {@code table}, in order, with their handles and
     * counters ({@code nft -a list chain}).
     *
     * @throws NetlinkException ENOENT when there is no such table or chain, as {@code nft list chain}
     *     fails (a typo is not "no rules"); when the exchange fails
     */
    public List<Rule> rules(Family family, String table, String chain) {
        Names.check("table", table);
        Names.check("chain", chain);
        String what = "list chain " + family.nftName() + " " + table + " " + chain;
        List<Rule> rules = channel.dump(
                Nft.type(Nft.MSG_GETRULE),
                w -> {
                    NftCodec.nfgen(w, family.code(), 0);
                    w.string(Nft.RULE_TABLE, table);
                    w.string(Nft.RULE_CHAIN, chain);
                },
                NftCodec::decodeRule,
                what);
        if (rules.isEmpty()) {
            requireExists(Nft.MSG_GETCHAIN, w -> NftCodec.chainRef(w, family, table, chain, 0), what);
        }
        return rules;
    }

    /**
     * Asks the kernel for one object ({@code GETTABLE}, {@code GETCHAIN} without {@code NLM_F_DUMP}),
     * which it answers with ENOENT when it is missing: a dump filtered by a table or chain returns
     * nothing for a missing one, it does not check it.
     */
    private void requireExists(int msg, Consumer<NlWriter> body, String what) {
        NetlinkException e = channel.sendAll(
                        List.of(new NetlinkChannel.Message(Nft.type(msg), Nl.NLM_F_ACK, what, body)))
                .get(0);
        if (e != null) {
            throw e;
        }
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
