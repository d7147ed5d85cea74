package io.github.netvirt.netlink.nftables;

import io.github.netvirt.netlink.NetlinkChannel;
import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netlink.codec.NlWriter;
import io.github.netvirt.netns.internal.EachOf;
import io.github.netvirt.netns.internal.Once;
import io.github.netvirt.netns.sys.Errno;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Changes to the ruleset applied atomically: sent as one nfnetlink batch ({@code BATCH_BEGIN},
 * the messages, {@code BATCH_END}) in one datagram, which the kernel commits whole or not at all.
 * The kernel reports every refused message (the last one asks for an ack, which ends the answer), so
 * a failure names the message the kernel refused and its extended-ack text. Not thread-safe; commit
 * it once.
 *
 * <pre>
 * nft.transaction()
 *    .createTable(Table.of(Family.INET, "t"))
 *    .addChain(Chain.base(Family.INET, "t", "input", Hook.INPUT, -10, Verdict.ACCEPT))
 *    .addRule(Rule.in(Family.INET, "t", "input").match(Match.source(addr)).then(Expr.drop()))
 *    .commit();
 * </pre>
 */
public final class NftTransaction {
    private final NetlinkChannel channel;
    private final List<NetlinkChannel.Message> messages = new ArrayList<>();
    private final Once commit = new Once("transaction already committed");
    /** The generation the ruleset must still be at for the commit ({@link #ifGeneration}), 0 for any. */
    private long generation;

    NftTransaction(NetlinkChannel channel) {
        this.channel = channel;
    }

    private NftTransaction add(int msg, int flags, String description, Consumer<NlWriter> body) {
        commit.checkNotDone();
        messages.add(new NetlinkChannel.Message(Nft.type(msg), flags, description, body));
        return this;
    }

    /**
     * {@code nft add table}: creates the table, or leaves an existing one as it is.
     *
     * @throws IllegalArgumentException on a name {@code nft} could not read back (see {@link Table})
     */
    public NftTransaction addTable(Table t) {
        Names.checkNew("table", t.name());
        return add(Nft.MSG_NEWTABLE, 0, "add table " + describe(t), w -> NftCodec.table(w, t));
    }

    /**
     * {@code nft --echo create table}: creates the table; EEXIST if it exists (so nothing foreign is
     * adopted). {@link #commit} returns it as the kernel echoed it, with its handle.
     *
     * @throws IllegalArgumentException on a name {@code nft} could not read back (see {@link Table})
     */
    public NftTransaction createTable(Table t) {
        return create(t, 0, "create table ");
    }

    /**
     * {@link #createTable}, the table owned by this handle's socket ({@code NFT_TABLE_F_OWNER}, Linux
     * 5.12; nft's {@code flags owner}): the kernel deletes it with everything in it when that socket
     * closes, by {@link NftHandle#close()} or the death of the process, and refuses to change or delete
     * it through any other socket (EPERM); {@code nft flush ruleset} leaves it. Only this handle can
     * delete it. A kernel older than 5.12 refuses the flag: the commit fails, nothing made.
     *
     * @throws IllegalArgumentException on a name {@code nft} could not read back (see {@link Table})
     */
    public NftTransaction createOwnedTable(Table t) {
        return create(t, Nft.TABLE_F_OWNER, "create owned table ");
    }

    private NftTransaction create(Table t, int flags, String what) {
        Names.checkNew("table", t.name());
        return add(
                Nft.MSG_NEWTABLE, Nl.NLM_F_EXCL | Nl.NLM_F_ECHO, what + describe(t), w -> NftCodec.table(w, t, flags));
    }

    /** {@code nft delete table}: by handle when {@code t} has one, else by name; ENOENT if absent. */
    public NftTransaction deleteTable(Table t) {
        return add(
                Nft.MSG_DELTABLE,
                0,
                "delete table " + describe(t),
                w -> NftCodec.tableRef(w, t.family(), t.name(), t.handle()));
    }

    /**
     * {@code nft add chain} (a base chain with its hook, priority and policy).
     *
     * @throws IllegalArgumentException on a chain name {@code nft} could not read back (see {@link Table});
     *     on a base chain of a device's hook (netdev ingress and egress, inet ingress), whose device
     *     {@link Chain} does not model
     */
    public NftTransaction addChain(Chain c) {
        Names.checkNew("chain", c.name());
        if (c.hook() == Hook.INGRESS || c.hook() == Hook.EGRESS) {
            // the kernel takes it without a device: a chain no packet reaches
            throw new IllegalArgumentException(
                    "base chain " + c.name() + " on the " + c.family().nftName() + " "
                            + c.hook().name().toLowerCase(Locale.ROOT)
                            + " hook needs a device, which netvirt does not model (nft: missing device)");
        }
        return add(
                Nft.MSG_NEWCHAIN,
                Nl.NLM_F_CREATE,
                "add chain " + c.family().nftName() + " " + c.table() + " " + c.name(),
                w -> NftCodec.chain(w, c));
    }

    /**
     * {@code nft delete chain}: by handle when {@code c} has one (read back), else by name. The kernel
     * deletes the chain's rules with it (as {@code nft delete chain} does), and refuses (EBUSY) a chain
     * that rules of other chains still jump to. A handle is the table's number for the chain: see
     * {@link #deleteRule(Rule)}.
     */
    public NftTransaction deleteChain(Chain c) {
        return add(
                Nft.MSG_DELCHAIN,
                0,
                "delete chain " + c.family().nftName() + " " + c.table() + " " + c.name()
                        + (c.handle() != 0 ? " (handle " + c.handle() + ")" : ""),
                w -> NftCodec.chainRef(w, c.family(), c.table(), c.name(), c.handle()));
    }

    /** {@code nft add rule}: appended at the end of its chain. */
    public NftTransaction addRule(Rule r) {
        return add(
                Nft.MSG_NEWRULE,
                Nl.NLM_F_CREATE | Nl.NLM_F_APPEND,
                "add rule " + r.family().nftName() + " " + r.table() + " " + r.chain() + " "
                        + r.expressions().size() + " expressions",
                w -> NftCodec.rule(w, r));
    }

    /**
     * {@code nft delete rule ... handle H}, for a rule read back ({@link NftHandle#rules}). Its handle
     * is its table's number for it, the table named by its name: where another program may replace the
     * table, commit for the generation the rule was read in ({@link #ifGeneration}).
     */
    public NftTransaction deleteRule(Rule r) {
        if (r.handle() == 0) {
            throw new IllegalArgumentException("a rule is deleted by its handle: read it back first");
        }
        return deleteRule(r.family(), r.table(), r.chain(), r.handle());
    }

    /** {@code nft delete rule FAMILY TABLE CHAIN handle H}. */
    public NftTransaction deleteRule(Family family, String table, String chain, long handle) {
        Names.check("table", table);
        Names.check("chain", chain);
        return add(
                Nft.MSG_DELRULE,
                0,
                "delete rule " + family.nftName() + " " + table + " " + chain + " handle " + handle,
                w -> NftCodec.ruleRef(w, family, table, chain, handle));
    }

    /**
     * Commits only if the ruleset is still at {@code generation} ({@link NftHandle#generation()},
     * read before what this transaction acts on), as {@code nft} sends its batches: otherwise the
     * whole batch is refused, ERESTART, and nothing changes. A chain or rule read back is deleted by
     * its handle, which the kernel numbers per table, and the table is named by its name only: once
     * another program has replaced the table by one of the same name, the same handles are that
     * program's chains and rules. This makes such a delete fail instead.
     *
     * @throws IllegalArgumentException if {@code generation} is not one the kernel counts (1 to 2^32 - 1)
     */
    public NftTransaction ifGeneration(long generation) {
        commit.checkNotDone();
        if (generation < 1 || generation > 0xffffffffL) {
            throw new IllegalArgumentException("a ruleset generation is 1 to 4294967295, got " + generation);
        }
        this.generation = generation;
        return this;
    }

    public int size() {
        return messages.size();
    }

    /**
     * Sends the batch and waits for the kernel's verdict on it.
     *
     * @return the tables {@link #createTable} made, in order, as the kernel echoed them at the commit:
     *     their handles are those of the tables this batch made, whatever another program did since
     * @throws NetlinkException when the kernel refused a message (the whole batch is then undone): the
     *         first refused message, its errno and extended-ack text, later refusals suppressed
     * @throws IllegalStateException when committed twice
     */
    public List<Table> commit() {
        commit.done();
        if (messages.isEmpty()) {
            return List.of();
        }
        List<Table> created = new ArrayList<>();
        List<NetlinkException> errors = channel.sendAll(framed(Nl.NLM_F_ACK), (m, i) -> {
            Table t = NftCodec.decodeTable(m);
            if (t != null) {
                created.add(t);
            }
        });
        List<NetlinkException> refused = new ArrayList<>();
        for (int i = 0; i < errors.size(); i++) {
            NetlinkException e = errors.get(i);
            if (e != null) {
                String which = i != 0
                        ? "nf_tables message #" + i + " of " + messages.size() + ": " + e.request()
                        : generation != 0 && e.is(Errno.ERESTART)
                                ? "nf_tables commit of " + messages.size() + " messages: the ruleset changed since"
                                        + " generation " + generation + " (read what it acts on again)"
                                : "nf_tables commit of " + messages.size() + " messages";
                refused.add(e.withRequest(which));
            }
        }
        EachOf.throwFirst(refused);
        return List.copyOf(created);
    }

    /**
     * The messages framed by the batch's begin and end, the last inner one with {@code ackFlag}.
     * nfnetlink reports every refused message of a batch whether it asked an ack or not, and a failed
     * commit against the batch's begin, all before the last message's ack: that ack closes the answer.
     * An ack for every message (one skb each) outgrew the receive buffer from some 30000 messages on:
     * ENOBUFS for a batch that was committed.
     */
    private List<NetlinkChannel.Message> framed(int ackFlag) {
        List<NetlinkChannel.Message> all = new ArrayList<>(messages.size() + 2);
        all.add(new NetlinkChannel.Message(Nft.NFNL_MSG_BATCH_BEGIN, 0, "nf_tables batch begin", w -> {
            NftCodec.nfgen(w, 0, Nft.NFNL_SUBSYS_NFTABLES);
            if (generation != 0) {
                w.be32(Nft.NFNL_BATCH_GENID, (int) generation);
            }
        }));
        for (int i = 0; i < messages.size(); i++) {
            NetlinkChannel.Message m = messages.get(i);
            int flags = m.flags() | (i == messages.size() - 1 ? ackFlag : 0);
            all.add(new NetlinkChannel.Message(m.type(), flags, m.description(), m.body()));
        }
        all.add(new NetlinkChannel.Message(
                Nft.NFNL_MSG_BATCH_END, 0, "nf_tables batch end", w -> NftCodec.nfgen(w, 0, Nft.NFNL_SUBSYS_NFTABLES)));
        return all;
    }

    /**
     * The datagram this transaction sends, with sequence numbers from {@code firstSeq} and, when
     * {@code ack} is false, without {@code NLM_F_ACK}: byte-for-byte what {@code nft} sends for the same
     * changes (tests compare the two).
     */
    byte[] encode(int firstSeq, boolean ack) {
        NlWriter w = new NlWriter(4096);
        int seq = firstSeq;
        for (NetlinkChannel.Message m : framed(ack ? Nl.NLM_F_ACK : 0)) {
            int start = w.begin(m.type(), m.flags() | Nl.NLM_F_REQUEST, seq++, 0);
            m.body().accept(w);
            w.end(start);
        }
        return w.toByteArray();
    }

    private static String describe(Table t) {
        return t.family().nftName() + " " + t.name() + (t.handle() != 0 ? " (handle " + t.handle() + ")" : "");
    }
}
