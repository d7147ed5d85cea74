package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.Journal;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A cut refused half-way (the crash record of a closing topology refuses to note it) after it set
 * the device down: when the cuts it nested in were healed meanwhile (that close heals them first),
 * it is the last to hold the device, and its end gives the device back as it was before the first
 * cut, up with its routes.
 */
@RequiresRoot
class CutRefusedWhileClosingTest {
    private final String host = TestNames.unique("fx");
    private final List<NetNamespace> handles = new ArrayList<>();

    @BeforeEach
    void script() {
        // an adopted namespace's own device, with an address and a route through a gateway
        Ip.ok("netns", "add", host);
        Ip.ok("-n", host, "link", "set", "lo", "up");
        Ip.ok("-n", host, "link", "add", "fx0", "type", "veth", "peer", "name", "fx1");
        Ip.ok("-n", host, "addr", "add", "10.86.0.1/24", "dev", "fx0");
        Ip.ok("-n", host, "link", "set", "fx0", "up");
        Ip.ok("-n", host, "link", "set", "fx1", "up");
        Ip.ok("-n", host, "route", "add", "10.87.0.0/16", "via", "10.86.0.2");
    }

    @AfterEach
    void remove() {
        handles.forEach(NetNamespace::close);
        Ip.run("netns", "del", host);
    }

    private NetNamespace open() {
        NetNamespace ns = NetNamespace.open(host);
        handles.add(ns);
        return ns;
    }

    private String state() {
        return flags(Ip.ok("-n", host, "-o", "link", "show", "dev", "fx0")) + "\n"
                + Ip.ok("-n", host, "-4", "route", "show", "table", "main");
    }

    private static String flags(String line) {
        return line.substring(line.indexOf('<'), line.indexOf('>') + 1);
    }

    @Test
    void theLastHoldToGoGivesTheDeviceBack() {
        String before = state();
        assertThat(before).contains(",UP").contains("10.87.0.0/16 via 10.86.0.2");
        LinkCut held = LinkCut.cut(open(), "fx0");
        NetNamespace closing = open();
        // as a topology's journal does once its close has begun: the close healed the cuts on its
        // handles (here: the one held), then the journal refuses to note the new cut
        Journal.attach(closing, LinkDownJournal.of((ifindex, name) -> {
            held.heal();
            throw new IllegalStateException("topology is closed");
        }));
        assertThatThrownBy(() -> LinkCut.cut(closing, "fx0")).hasMessage("topology is closed");
        assertThat(held.isActive()).isFalse();
        assertThat(state()).as("no cut holds the device").isEqualTo(before);
    }
}
