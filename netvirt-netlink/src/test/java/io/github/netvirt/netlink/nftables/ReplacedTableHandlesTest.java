package io.github.netvirt.netlink.nftables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A chain or rule read back is deleted by its handle, but the kernel numbers chains and rules per table
 * ({@code table->hgenerator}) and a request names the table by name only: once another program has
 * replaced the table by a namesake, the same numbers are that program's chains and rules. Deleting
 * what was read back in a transaction for the generation it was read in ({@link
 * NftTransaction#ifGeneration}, as nft sends its batches) must then change nothing of theirs: refused,
 * ERESTART.
 */
@RequiresRoot
class ReplacedTableHandlesTest {
    private static final Family INET = Family.INET;
    private static final String T = "rt_t";

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

    private static NftTransaction ruleset(NftTransaction t, Verdict v) {
        return t.createTable(Table.of(INET, T))
                .addChain(Chain.regular(INET, T, "c"))
                .addRule(Rule.in(INET, T, "c").match(Match.protocol(Match.UDP)).then(new Expr.Immediate(v)))
                .addRule(Rule.in(INET, T, "c").match(Match.protocol(Match.TCP)).then(new Expr.Immediate(v)));
    }

    /** Another program deletes the table by name and makes a namesake with the same chain and rules' places. */
    private void replacedByAnother() {
        try (NftHandle other = NftHandle.open(ns)) {
            other.transaction().deleteTable(Table.of(INET, T)).commit();
            ruleset(other.transaction(), Verdict.ACCEPT).commit();
        }
    }

    @Test
    void aRuleReadBackDeletesNoRuleOfANamesakeTable() {
        ruleset(nft.transaction(), Verdict.DROP).commit();
        long generation = nft.generation();
        Rule mine = nft.rules(INET, T, "c").get(1);
        replacedByAnother();
        List<Rule> theirs = nft.rules(INET, T, "c");
        assertThat(theirs).extracting(Rule::handle).contains(mine.handle()); // the same numbers
        assertThatThrownBy(() -> nft.transaction()
                        .ifGeneration(generation)
                        .deleteRule(mine)
                        .commit())
                .isInstanceOfSatisfying(
                        NetlinkException.class,
                        e -> assertThat(e.is(Errno.ERESTART)).isTrue())
                .hasMessageContaining("the ruleset changed since generation " + generation);
        assertThat(nft.rules(INET, T, "c")).as("the other program's rules").isEqualTo(theirs);
    }

    @Test
    void aChainReadBackDeletesNoChainOfANamesakeTable() {
        ruleset(nft.transaction(), Verdict.DROP).commit();
        long generation = nft.generation();
        Chain mine = nft.chains(INET, T).get(0);
        replacedByAnother();
        List<Chain> theirs = nft.chains(INET, T);
        assertThat(theirs).extracting(Chain::handle).contains(mine.handle());
        assertThatThrownBy(() -> nft.transaction()
                        .ifGeneration(generation)
                        .deleteChain(mine)
                        .commit())
                .isInstanceOf(NetlinkException.class)
                .hasMessageContaining("ERESTART");
        assertThat(nft.chains(INET, T)).as("the other program's chains").isEqualTo(theirs);
    }

    @Test
    void aDeleteForTheGenerationItWasReadInIsCommittedWhileNothingChanged() {
        ruleset(nft.transaction(), Verdict.DROP).commit();
        long generation = nft.generation();
        Rule mine = nft.rules(INET, T, "c").get(1);
        nft.transaction().ifGeneration(generation).deleteRule(mine).commit();
        assertThat(nft.rules(INET, T, "c")).hasSize(1);
        assertThat(nft.generation()).isGreaterThan(generation);
        assertThatThrownBy(() -> nft.transaction().ifGeneration(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 to 4294967295");
    }
}
