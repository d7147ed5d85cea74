package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netlink.nftables.Expr;
import io.github.netvirt.netlink.nftables.Family;
import io.github.netvirt.netlink.nftables.Hook;
import io.github.netvirt.netlink.nftables.NftHandle;
import io.github.netvirt.netlink.nftables.Table;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A fault's table against another program that works on the same namespace's ruleset. */
@RequiresRoot
class FilterTableTest {
    NetNamespace ns;

    @BeforeEach
    void setUp() {
        ns = NetNamespace.ephemeral();
    }

    @AfterEach
    void tearDown() {
        FilterTable.afterCommit = name -> {};
        ns.close();
    }

    @Test
    void theTableMadeIsTheTableRemoved() {
        FilterTable mine =
                FilterTable.install(ns, List.of(new FilterTable.Entry(Hook.INPUT, List.of(), Expr.accept())));
        try (NftHandle nft = NftHandle.open(ns)) {
            assertThat(nft.tables()).extracting(Table::name).containsExactly(mine.name());
            mine.remove();
            assertThat(nft.tables()).isEmpty();
        }
    }

    @Test
    void noOtherSocketCanDeleteOrReplaceTheTable() {
        List<Throwable> refused = new ArrayList<>();
        // another program tries to replace the table with one of the same name before install returns
        FilterTable.afterCommit = name -> {
            try (NftHandle other = NftHandle.open(ns)) {
                other.transaction()
                        .deleteTable(Table.of(Family.INET, name))
                        .createTable(Table.of(Family.INET, name))
                        .commit();
            } catch (NetlinkException e) {
                refused.add(e);
            }
        };
        FilterTable mine =
                FilterTable.install(ns, List.of(new FilterTable.Entry(Hook.INPUT, List.of(), Expr.accept())));
        assertThat(refused)
                .singleElement()
                .satisfies(
                        e -> assertThat(((NetlinkException) e).is(Errno.EPERM)).isTrue());
        try (NftHandle nft = NftHandle.open(ns)) {
            assertThat(nft.tables()).extracting(Table::name).containsExactly(mine.name());
            mine.remove();
            assertThat(nft.tables()).isEmpty();
        }
    }
}
