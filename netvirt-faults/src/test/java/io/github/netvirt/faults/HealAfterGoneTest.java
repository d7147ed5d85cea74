package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A fault whose work was undone by someone else (its device deleted) heals quietly, as a rate limit
 * or a link condition does: there is nothing left to undo. A fault's nftables table cannot be undone
 * by someone else: it is owned by the fault's socket ({@code FilterTable}), {@code nft flush ruleset}
 * leaves it.
 */
@RequiresRoot
class HealAfterGoneTest {
    private final String a = TestNames.unique("gd");
    private final String b = TestNames.unique("gd");
    private NetNamespace na;
    private NetNamespace nb;

    @BeforeEach
    void build() {
        na = NetNamespace.create(a);
        nb = NetNamespace.create(b);
        Ip.ok("-n", a, "link", "add", "gdA", "type", "veth", "peer", "name", "gdB", "netns", b);
        Ip.ok("-n", a, "addr", "add", "10.93.0.1/24", "dev", "gdA");
        Ip.ok("-n", b, "addr", "add", "10.93.0.2/24", "dev", "gdB");
        Ip.ok("-n", a, "link", "set", "gdA", "up");
        Ip.ok("-n", b, "link", "set", "gdB", "up");
    }

    @AfterEach
    void remove() {
        for (NetNamespace ns : new NetNamespace[] {na, nb}) {
            String name = ns.name().orElseThrow();
            ns.close();
            if (NetNamespace.exists(name)) {
                NetNamespace.delete(name);
            }
        }
    }

    @Test
    void aCutWhoseDeviceWentHealsQuietly() {
        LinkCut cut = LinkCut.cut(na, "gdA");
        Ip.ok("-n", a, "link", "del", "gdA");
        cut.heal();
        assertThat(cut.isActive()).isFalse();
    }

    @Test
    void faultTablesOutliveAFlushedRulesetAndGoAtTheHeal() {
        Fault refuse = ConnectionFault.refuse(na, 80);
        Fault partition = Partition.between(List.of(na), List.of(nb));
        Fault loss = OneWayLoss.drop(na, nb);
        List<String> before = tables();
        assertThat(before).hasSizeGreaterThanOrEqualTo(4);
        for (String ns : List.of(a, b)) {
            Ip.Result r = Ip.exec(List.of("ip", "netns", "exec", ns, "nft", "flush", "ruleset"));
            assertThat(r.exitCode()).as(r.err()).isZero();
        }
        // owned by the faults' sockets: nft flush ruleset leaves them
        assertThat(tables()).isEqualTo(before);
        refuse.heal();
        partition.heal();
        loss.heal();
        assertThat(List.of(refuse, partition, loss)).noneMatch(Fault::isActive);
        assertThat(tables()).isEmpty();
    }

    private List<String> tables() {
        List<String> all = new java.util.ArrayList<>(LoneFaultKillTest.tables(a));
        all.addAll(LoneFaultKillTest.tables(b));
        return all;
    }
}
