package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.ChildJvm;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A JVM killed ({@code kill -9}) while its faults, put through handles opened alone (no topology, so
 * no crash record), are in force leaves none of their nftables tables behind: each table is owned by
 * the netlink socket its fault holds open, and the kernel deletes it when the killed JVM's sockets close.
 */
@RequiresRoot
class LoneFaultKillTest {
    private final String p = TestNames.unique("ow");
    private final String a = p + "-a";
    private final String b = p + "-b";

    @BeforeEach
    void namespaces() {
        Ip.ok("netns", "add", a);
        Ip.ok("netns", "add", b);
        Ip.ok("-n", a, "link", "add", p + "a", "type", "veth", "peer", "name", p + "b", "netns", b);
        Ip.ok("-n", a, "addr", "add", "10.97.0.1/24", "dev", p + "a");
        Ip.ok("-n", b, "addr", "add", "10.97.0.2/24", "dev", p + "b");
    }

    @AfterEach
    void teardown() {
        Ip.run("netns", "del", a); // with whatever table was left in it
        Ip.run("netns", "del", b);
    }

    /**
     * {@code nft list tables} in {@code ns}: its tables, by name. Not {@code nft -j}: nft 1.0.6 prints an
     * owned table's flags in JSON from past the end of its names (garbage, or output cut short).
     */
    static List<String> tables(String ns) {
        String out = Ip.exec(List.of("ip", "netns", "exec", ns, "nft", "list", "tables"))
                .ok()
                .out();
        return Pattern.compile("^table \\S+ (\\S+)$", Pattern.MULTILINE)
                .matcher(out)
                .results()
                .map(m -> m.group(1))
                .toList();
    }

    @Test
    void theTablesOfFaultsOnHandlesOpenedAloneGoWithAKilledJvm() throws Exception {
        Process child = ChildJvm.startUntil("FAULTED", List.of("-Dnetvirt.reaper=false"), LoneFaultChild.class, a, b);
        try {
            assertThat(tables(a)).as("the partition's table in %s", a).hasSize(1);
            assertThat(tables(b))
                    .as("the partition's and the refusal's tables in %s", b)
                    .hasSize(2);
        } finally {
            child.destroyForcibly().waitFor(); // SIGKILL: no heal, no close
        }
        assertThat(tables(a)).as("tables left in %s after the kill", a).isEmpty();
        assertThat(tables(b)).as("tables left in %s after the kill", b).isEmpty();
    }
}
