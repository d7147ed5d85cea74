package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netlink.nftables.Expr;
import io.github.netvirt.netlink.nftables.Hook;
import io.github.netvirt.netlink.nftables.Match;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InputDropTest {
    @Test
    void everySourceIsDroppedOnInput() throws Exception {
        InetAddress a = InetAddress.getByName("10.0.0.1");
        InetAddress b = InetAddress.getByName("fd00::1");
        List<FilterTable.Entry> rules = InputDrop.rules(List.of(a, b), null, 1.0);
        assertThat(rules)
                .containsExactly(
                        new FilterTable.Entry(Hook.INPUT, Match.source(a), Expr.drop()),
                        new FilterTable.Entry(Hook.INPUT, Match.source(b), Expr.drop()));
    }

    @Test
    void partialLossUsesRandomNumbers() throws Exception {
        InetAddress a = InetAddress.getByName("10.0.0.1");
        List<Expr> match = new ArrayList<>(Match.source(a));
        match.addAll(Match.random(10000, 2500));
        assertThat(InputDrop.rules(List.of(a), null, 0.25))
                .containsExactly(new FilterTable.Entry(Hook.INPUT, match, Expr.drop()));
    }

    @Test
    void aPortLimitsTheDropToFlowsWithThatPortAtEitherEnd() throws Exception {
        InetAddress a = InetAddress.getByName("10.0.0.1");
        List<Expr> toPort = new ArrayList<>(Match.source(a));
        toPort.addAll(Match.destinationPort(Match.UDP, 53));
        List<Expr> fromPort = new ArrayList<>(Match.source(a));
        fromPort.addAll(Match.sourcePort(Match.UDP, 53));
        assertThat(InputDrop.rules(List.of(a), Port.udp(53), 1.0))
                .containsExactly(
                        new FilterTable.Entry(Hook.INPUT, toPort, Expr.drop()),
                        new FilterTable.Entry(Hook.INPUT, fromPort, Expr.drop()));
    }
}
