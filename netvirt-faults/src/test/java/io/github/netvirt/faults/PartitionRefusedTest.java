package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A partition given a host twice on one side (the same handle, or another handle on its namespace),
 * a host on both sides, or a null host is refused, naming the host or the side, and leaves the
 * kernel as it was: the nftables ruleset ({@code nft -j list ruleset}), the links ({@code ip -j link})
 * and the addresses of both namespaces.
 */
@RequiresRoot
class PartitionRefusedTest {
    private final String nameA = TestNames.unique("gc");
    private final String nameB = TestNames.unique("gc");
    private NetNamespace a;
    private NetNamespace b;

    @BeforeEach
    void build() {
        a = NetNamespace.create(nameA);
        b = NetNamespace.create(nameB);
        Ip.ok("-n", nameA, "link", "add", "gc0", "type", "veth", "peer", "name", "gc1", "netns", nameB);
        Ip.ok("-n", nameA, "addr", "add", "10.91.0.1/24", "dev", "gc0");
        Ip.ok("-n", nameB, "addr", "add", "10.91.0.2/24", "dev", "gc1");
        // left down: nothing settles between two readings (carrier, DAD), and a partition filters on
        // the IPv4 addresses, which a down device keeps
    }

    @AfterEach
    void remove() {
        for (NetNamespace ns : List.of(a, b)) {
            String name = ns.name().orElseThrow();
            ns.close();
            if (NetNamespace.exists(name)) {
                NetNamespace.delete(name);
            }
        }
    }

    /** What the kernel reports of both namespaces: rulesets, links, addresses. */
    private String kernel() {
        StringBuilder s = new StringBuilder();
        for (String ns : List.of(nameA, nameB)) {
            s.append(Ip.exec(List.of("ip", "netns", "exec", ns, "nft", "-j", "list", "ruleset"))
                            .ok()
                            .out())
                    .append('\n')
                    .append(Ip.ok("-n", ns, "-j", "link"))
                    .append('\n')
                    .append(Ip.ok("-n", ns, "-j", "addr"))
                    .append('\n');
        }
        return s.toString();
    }

    private void assertRefused(Supplier<Partition> p, Class<? extends RuntimeException> type, String... named) {
        String before = kernel();
        Throwable t = catchThrowable(() -> {
            try (Partition made = p.get()) {
                assertThat(made).as("refused").isNull();
            }
        });
        assertThat(t).isInstanceOf(type).hasMessageContainingAll(named);
        assertThat(kernel()).isEqualTo(before);
    }

    @Test
    void aHostTwiceOnOneSideIsRefusedByName() {
        try (NetNamespace again = a.reopen();
                NetNamespace byName = NetNamespace.open(nameB)) {
            assertRefused(
                    () -> Partition.between(List.of(a, again), List.of(b)),
                    IllegalArgumentException.class,
                    nameA,
                    "twice on sideA");
            assertRefused(
                    () -> Partition.between(List.of(a), List.of(b, b), Port.tcp(80)),
                    IllegalArgumentException.class,
                    nameB,
                    "twice on sideB");
            assertRefused(
                    () -> Partition.between(List.of(a), List.of(byName, b)),
                    IllegalArgumentException.class,
                    nameB,
                    "twice on sideB");
        }
    }

    @Test
    void aHostOnBothSidesIsRefusedByName() {
        try (NetNamespace byName = NetNamespace.open(nameB)) {
            assertRefused(
                    () -> Partition.between(List.of(a, b), List.of(byName)),
                    IllegalArgumentException.class,
                    nameB,
                    "both sides");
            assertRefused(
                    () -> Partition.between(List.of(b), List.of(a, b), Port.udp(53)),
                    IllegalArgumentException.class,
                    nameB,
                    "both sides");
        }
    }

    @Test
    void aNullHostOrPortIsRefusedByTheParameterName() {
        assertRefused(
                () -> Partition.between(List.of(a), Arrays.asList(b, null)),
                NullPointerException.class,
                "sideB holds a null");
        assertRefused(
                () -> Partition.between(Arrays.asList(a, null), List.of(b), Port.tcp(80)),
                NullPointerException.class,
                "sideA holds a null");
        assertRefused(() -> Partition.between(List.of(a), List.of(b), null), NullPointerException.class, "port");
    }

    @Test
    void aPartitionAcceptedChangesTheRulesetsAndItsHealGivesThemBack() {
        String before = kernel();
        try (Partition p = Partition.between(List.of(a), List.of(b))) {
            assertThat(kernel()).isNotEqualTo(before); // the snapshot sees a table put in
        }
        assertThat(kernel()).isEqualTo(before);
    }
}
