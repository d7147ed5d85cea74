package io.github.netvirt.netlink.nftables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.github.netvirt.netlink.NetlinkChannel;
import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netlink.codec.NlWriter;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rulesets that other programs made, which netvirt's types do not model, put in the namespace with
 * raw nf_tables messages (no {@code nft} program needed): listing them must not fail, and what
 * netvirt read back and deletes must not be another program's namesake.
 */
@RequiresRoot
class ForeignRulesetTest {
    private static final Family INET = Family.INET;
    private static final String MINE = "ge_mine";
    private static final String FOREIGN = "ge_foreign";

    NetNamespace ns;
    NftHandle nft;

    @BeforeEach
    void setUp() {
        ns = NetNamespace.ephemeral();
        nft = NftHandle.open(ns);
    }

    @AfterEach
    void tearDown() {
        nft.close();
        ns.close();
    }

    @Test
    void aForeignInetIngressChainDoesNotBreakTheListingOfChains() {
        nft.transaction()
                .createTable(Table.of(INET, MINE))
                .addChain(Chain.base(INET, MINE, "input", Hook.INPUT, 0, Verdict.ACCEPT))
                .commit();
        // nft add chain inet ge_foreign ing { type filter hook ingress device lo priority 0; }
        foreignBatch(List.of(
                message(Nft.MSG_NEWTABLE, 0, w -> NftCodec.table(w, Table.of(INET, FOREIGN))),
                message(Nft.MSG_NEWCHAIN, Nl.NLM_F_CREATE, w -> {
                    NftCodec.nfgen(w, INET.code(), 0);
                    w.string(Nft.CHAIN_TABLE, FOREIGN);
                    w.string(Nft.CHAIN_NAME, "ing");
                    w.string(Nft.CHAIN_TYPE, "filter");
                    w.be32(Nft.CHAIN_POLICY, Verdict.ACCEPT.code());
                    int h = w.beginNest(Nft.CHAIN_HOOK);
                    w.be32(Nft.HOOK_HOOKNUM, 5); // NF_INET_INGRESS
                    w.be32(Nft.HOOK_PRIORITY, 0);
                    w.string(3, "lo"); // NFTA_HOOK_DEV
                    w.endNest(h);
                })));

        assertThat(nft.chains(INET, MINE)).extracting(Chain::name).containsExactly("input");
        assertThat(nft.chains(INET, FOREIGN))
                .extracting(Chain::name, Chain::hook)
                .containsExactly(tuple("ing", Hook.INGRESS));
    }

    @Test
    void netdevAndArpChainsAreListedWithTheHooksTheirFamilyNumbers() {
        // nft add table netdev nf_dev; nft add chain netdev nf_dev ing { type filter hook ingress device lo
        // priority 0; }; the same for egress; nft add chain arp nf_arp out { type filter hook output ... }
        foreignBatch(List.of(
                message(Nft.MSG_NEWTABLE, 0, w -> NftCodec.table(w, Table.of(Family.NETDEV, "nf_dev"))),
                message(Nft.MSG_NEWCHAIN, Nl.NLM_F_CREATE, w -> baseChain(w, Family.NETDEV, "nf_dev", "ing", 0, "lo")),
                message(Nft.MSG_NEWCHAIN, Nl.NLM_F_CREATE, w -> baseChain(w, Family.NETDEV, "nf_dev", "eg", 1, "lo")),
                message(Nft.MSG_NEWTABLE, 0, w -> NftCodec.table(w, Table.of(Family.ARP, "nf_arp"))),
                message(Nft.MSG_NEWCHAIN, Nl.NLM_F_CREATE, w -> baseChain(w, Family.ARP, "nf_arp", "out", 1, null))));

        // NF_NETDEV_INGRESS and NF_NETDEV_EGRESS are 0 and 1, NF_ARP_OUT is 1: not prerouting and input
        assertThat(nft.chains(Family.NETDEV, "nf_dev"))
                .extracting(Chain::name, c -> String.valueOf(c.hook()))
                .containsExactlyInAnyOrder(tuple("ing", "INGRESS"), tuple("eg", "EGRESS"));
        assertThat(nft.chains(Family.ARP, "nf_arp"))
                .extracting(Chain::name, c -> String.valueOf(c.hook()))
                .containsExactly(tuple("out", "OUTPUT"));
    }

    @Test
    void anEmptyRuleOfAnotherProgramIsReadBackAndDeletedByItsHandle() {
        nft.transaction()
                .createTable(Table.of(INET, MINE))
                .addChain(Chain.regular(INET, MINE, "c"))
                .commit();
        // what nft -j makes of {"add": {"rule": {"family": "inet", "table": T, "chain": "c", "expr": []}}}
        foreignBatch(List.of(message(Nft.MSG_NEWRULE, Nl.NLM_F_CREATE | Nl.NLM_F_APPEND, w -> {
            NftCodec.nfgen(w, INET.code(), 0);
            w.string(Nft.RULE_TABLE, MINE);
            w.string(Nft.RULE_CHAIN, "c");
        })));

        Rule empty = assertThat(nft.rules(INET, MINE, "c"))
                .singleElement()
                .satisfies(r -> assertThat(r.expressions()).isEmpty())
                .satisfies(r -> assertThat(r.handle()).isPositive())
                .actual();
        nft.transaction().deleteRule(empty).commit();
        assertThat(nft.rules(INET, MINE, "c")).isEmpty();
    }

    @Test
    void aChainReadBackIsDeletedByItsHandleNotByItsName() {
        nft.transaction()
                .createTable(Table.of(INET, MINE))
                .addChain(Chain.regular(INET, MINE, "c"))
                .commit();
        Chain mine = nft.chains(INET, MINE).get(0);
        // another program replaces it with a chain of the same name
        foreignBatch(List.of(
                message(Nft.MSG_DELCHAIN, 0, w -> NftCodec.chainRef(w, INET, MINE, "c", 0)),
                message(Nft.MSG_NEWCHAIN, Nl.NLM_F_CREATE, w -> NftCodec.chain(w, Chain.regular(INET, MINE, "c")))));
        Chain theirs = nft.chains(INET, MINE).get(0);
        assertThat(theirs.handle()).isNotEqualTo(mine.handle());

        assertThatThrownBy(() -> nft.transaction().deleteChain(mine).commit())
                .isInstanceOfSatisfying(
                        NetlinkException.class,
                        e -> assertThat(e.is(Errno.ENOENT)).isTrue());
        assertThat(nft.chains(INET, MINE)).containsExactly(theirs);
    }

    @Test
    void aCreatedTableIsKnownByTheHandleItsCommitEchoedNotByItsName() {
        List<Table> created =
                nft.transaction().createTable(Table.of(INET, MINE)).commit();
        assertThat(created)
                .singleElement()
                .satisfies(t -> assertThat(t.handle()).isPositive());
        assertThat(nft.tables()).as("the echo is the table the dump shows").isEqualTo(created);
        // another program replaces it with a table of the same name
        foreignBatch(List.of(
                message(Nft.MSG_DELTABLE, 0, w -> NftCodec.tableRef(w, INET, MINE, 0)),
                message(Nft.MSG_NEWTABLE, 0, w -> NftCodec.table(w, Table.of(INET, MINE)))));
        Table theirs = nft.tables().get(0);
        assertThat(theirs.handle()).isNotEqualTo(created.get(0).handle());

        assertThatThrownBy(() -> nft.transaction().deleteTable(created.get(0)).commit())
                .isInstanceOfSatisfying(
                        NetlinkException.class,
                        e -> assertThat(e.is(Errno.ENOENT)).isTrue());
        assertThat(nft.tables()).containsExactly(theirs);
    }

    /** A base chain as {@code nft} sends it: hook number {@code hooknum} of {@code family}, on {@code dev}. */
    private static void baseChain(NlWriter w, Family family, String table, String name, int hooknum, String dev) {
        NftCodec.nfgen(w, family.code(), 0);
        w.string(Nft.CHAIN_TABLE, table);
        w.string(Nft.CHAIN_NAME, name);
        w.string(Nft.CHAIN_TYPE, "filter");
        w.be32(Nft.CHAIN_POLICY, Verdict.ACCEPT.code());
        int h = w.beginNest(Nft.CHAIN_HOOK);
        w.be32(Nft.HOOK_HOOKNUM, hooknum);
        w.be32(Nft.HOOK_PRIORITY, 0);
        if (dev != null) {
            w.string(3, dev); // NFTA_HOOK_DEV
        }
        w.endNest(h);
    }

    /** Commits {@code inner} as one batch through a socket of its own, as another program would. */
    private void foreignBatch(List<NetlinkChannel.Message> inner) {
        List<NetlinkChannel.Message> all = new ArrayList<>();
        all.add(new NetlinkChannel.Message(
                Nft.NFNL_MSG_BATCH_BEGIN, 0, "begin", w -> NftCodec.nfgen(w, 0, Nft.NFNL_SUBSYS_NFTABLES)));
        all.addAll(inner);
        all.add(new NetlinkChannel.Message(
                Nft.NFNL_MSG_BATCH_END, 0, "end", w -> NftCodec.nfgen(w, 0, Nft.NFNL_SUBSYS_NFTABLES)));
        try (NetlinkChannel c = NetlinkChannel.open(ns, Nl.NETLINK_NETFILTER, Duration.ofSeconds(5))) {
            List<NetlinkException> errors = c.sendAll(all);
            errors.stream().filter(Objects::nonNull).findFirst().ifPresent(e -> {
                throw e;
            });
        }
    }

    private static NetlinkChannel.Message message(int msg, int flags, Consumer<NlWriter> body) {
        return new NetlinkChannel.Message(Nft.type(msg), flags | Nl.NLM_F_ACK, "foreign " + msg, body);
    }
}
