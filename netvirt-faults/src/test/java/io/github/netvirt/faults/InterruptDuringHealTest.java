package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An interrupt that arrives while a heal runs (a test framework's timeout, {@code Future.cancel(true)})
 * does not cancel it: it is held back until the heal is done, then set again. Here it comes half-way
 * through a heal that undoes two cuts: before, the second cut's netlink hand-off gave up on it
 * (CancellationException) and left that cut in force.
 */
@RequiresRoot
class InterruptDuringHealTest {
    private final String host = TestNames.unique("fh");
    private NetNamespace ns;

    @BeforeEach
    void build() {
        ns = NetNamespace.create(host);
        Ip.ok("-n", host, "link", "add", "fh0", "type", "veth", "peer", "name", "fh1");
        Ip.ok("-n", host, "link", "set", "fh0", "up");
        Ip.ok("-n", host, "link", "set", "fh1", "up");
    }

    @AfterEach
    void remove() {
        ns.close();
        if (NetNamespace.exists(host)) {
            NetNamespace.delete(host);
        }
    }

    /** A heal that undoes two cuts, interrupted between them. */
    private static final class TwoCuts extends OneShotFault {
        private final LinkCut first;
        private final LinkCut second;

        TwoCuts(LinkCut first, LinkCut second) {
            super("TwoCuts", "fh0, fh1");
            this.first = first;
            this.second = second;
        }

        @Override
        void undo() {
            first.undo();
            Thread.currentThread().interrupt(); // arrives while the heal runs
            second.undo();
        }
    }

    @Test
    void anInterruptDuringAHealIsHeldBackUntilTheHealIsDone() {
        LinkCut first = LinkCut.cut(ns, "fh0");
        LinkCut second = LinkCut.cut(ns, "fh1");
        assertThat(Ip.ok("-n", host, "-j", "link", "show", "fh1")).doesNotContain("\"UP\"");
        TwoCuts both = new TwoCuts(first, second);
        RuntimeException thrown = null;
        boolean flag;
        try {
            both.heal();
        } catch (RuntimeException e) {
            thrown = e;
        } finally {
            flag = Thread.interrupted();
            if (thrown != null) {
                second.heal(); // not to leave it for the namespace's close
            }
        }
        assertThat(thrown).as("a heal that an interrupt reached half-way").isNull();
        assertThat(flag).as("the interrupt, set again once the heal is done").isTrue();
        assertThat(both.isActive()).isFalse();
        for (String dev : new String[] {"fh0", "fh1"}) {
            assertThat(Ip.ok("-n", host, "-j", "link", "show", dev))
                    .as(dev + " set up again")
                    .contains("\"UP\"");
        }
    }
}
