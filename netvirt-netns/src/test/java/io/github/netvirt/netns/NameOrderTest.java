package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

/** {@link NetNamespace#create(List)} takes its names in name order, before it makes any namespace. */
@RequiresRoot
class NameOrderTest {

    @Test
    void ofTwoTakenNamesTheFirstInNameOrderIsReportedAndNothingIsMade() throws Exception {
        String p = TestNames.unique("nvo");
        Ip.ok("netns", "add", p + "b");
        Ip.ok("netns", "add", p + "d");
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p)) {
            for (int i = 0; i < 5; i++) {
                assertThatThrownBy(() -> NetNamespace.create(List.of(p + "a", p + "d", p + "c", p + "b")))
                        .isInstanceOfSatisfying(
                                NetnsException.class,
                                e -> assertThat(e.is(Errno.EEXIST)).isTrue())
                        .hasMessageContaining("network namespace \"" + p + "b\" already exists");
                for (String free : List.of("a", "c")) {
                    assertThat(Files.exists(Path.of("/run/netns", p + free)))
                            .as(free)
                            .isFalse();
                }
            }
            // the taken ones are left as they were
            assertThat(Ip.ok("netns", "list")).contains(p + "b").contains(p + "d");
        }
    }

    @Test
    void ofTwoCallersTakingTheSameNamesAtOnceOneGetsThemAll() throws Exception {
        String p = TestNames.unique("nvo");
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p)) {
            int bothFailed = 0;
            for (int round = 0; round < 30; round++) {
                List<String> names = List.of(p + round + "a", p + round + "b", p + round + "c");
                List<String> reversed = new ArrayList<>(names);
                Collections.reverse(reversed);
                CyclicBarrier start = new CyclicBarrier(2);
                CompletableFuture<List<NetNamespace>> one = CompletableFuture.supplyAsync(() -> race(start, names));
                CompletableFuture<List<NetNamespace>> other =
                        CompletableFuture.supplyAsync(() -> race(start, reversed));
                // both finish before the winner's namespaces go: a caller slower than the whole of
                // the other's create would otherwise find the names free again and rightly take them
                CompletableFuture.allOf(one, other).exceptionally(e -> null).join();
                int won = 0;
                for (CompletableFuture<List<NetNamespace>> caller : List.of(one, other)) {
                    try {
                        for (NetNamespace ns : caller.join()) {
                            ns.delete();
                        }
                        won++;
                    } catch (CompletionException e) {
                        // the loser: the name it found taken, before it made anything
                        assertThat(e.getCause())
                                .isInstanceOfSatisfying(
                                        NetnsException.class,
                                        n -> assertThat(n.is(Errno.EEXIST)).isTrue());
                    }
                }
                assertThat(won).as("callers that got every name").isLessThanOrEqualTo(1);
                if (won == 0) {
                    bothFailed++;
                }
                for (String name : names) {
                    assertThat(NetNamespace.exists(name)).as(name).isFalse();
                }
            }
            assertThat(bothFailed)
                    .as("rounds where neither caller got the names")
                    .isZero();
        }
    }

    private static List<NetNamespace> race(CyclicBarrier start, List<String> names) {
        try {
            start.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return NetNamespace.create(names);
    }
}
