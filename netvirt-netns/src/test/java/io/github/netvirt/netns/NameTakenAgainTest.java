package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * A name removed and taken again by someone else ({@code ip netns del N; ip netns add N}) between
 * netvirt's proof that it holds netvirt's namespace and netvirt's removal of it: the other namespace
 * keeps the name. The proofs run the other's commands once they have found the name netvirt's.
 */
@RequiresRoot
class NameTakenAgainTest {

    @Test
    void aNameTakenAgainAfterTheHandlesProofKeepsTheOtherNamespace() {
        assertTakenAgainAfter((name, ours) -> RunNetns.held(ours.heldFd()));
    }

    @Test
    void aNameTakenAgainAfterTheCookiesProofKeepsTheOtherNamespace() {
        assertTakenAgainAfter((name, ours) -> NetNamespace.byCookie(name, ours.cookie()));
    }

    /** Removes a name through {@code proof}, which runs the other's del and add once it found the name ours. */
    private static void assertTakenAgainAfter(BiFunction<String, NetNamespace, RunNetns.Proof> proof) {
        String name = TestNames.unique("nt");
        try (NetNamespace ours = NetNamespace.create(name)) {
            RunNetns.Proof first = proof.apply(name, ours);

            NameState found = RunNetns.removeIf(name, fd -> takenAgainAfter(first.of(fd), name));

            assertThat(found).isEqualTo(NameState.SAME);
            assertTheirs(name, ours);
        } finally {
            Ip.run("netns", "del", name);
        }
    }

    @Test
    void aNameStillHoldingTheNamespaceIsRemoved() {
        String name = TestNames.unique("nt");
        try (NetNamespace ours = NetNamespace.create(name)) {
            assertThat(ours.deleteName(name)).isEqualTo(NameState.SAME);
            assertThat(NetNamespace.list()).as("ip netns list").doesNotContain(name);
            assertThat(NetNamespace.nameFile(name)).doesNotExist();
        } finally {
            Ip.run("netns", "del", name);
        }
        String byCookie = TestNames.unique("nt");
        long cookie;
        try (NetNamespace ours = NetNamespace.create(byCookie)) {
            cookie = ours.cookie();
        }
        try {
            assertThat(NetNamespace.deleteName(byCookie, cookie)).isEqualTo(NameState.SAME);
            assertThat(NetNamespace.nameFile(byCookie)).doesNotExist();
        } finally {
            Ip.run("netns", "del", byCookie);
        }
    }

    @Test
    void aNameHoldingAnotherNamespaceIsLeft() {
        String name = TestNames.unique("nt");
        try (NetNamespace ours = NetNamespace.create(name)) {
            long cookie = ours.cookie();
            takenAgainAfter(NameState.SAME, name);

            assertThat(ours.deleteName(name)).isEqualTo(NameState.OTHER);
            assertThat(NetNamespace.deleteName(name, cookie)).isEqualTo(NameState.OTHER);
            assertTheirs(name, ours);
        } finally {
            Ip.run("netns", "del", name);
        }
    }

    /** Runs what {@code ip netns del NAME; ip netns add NAME} does, by someone else, after a proof found {@code found}. */
    private static NameState takenAgainAfter(NameState found, String name) {
        Ip.ok("netns", "del", name);
        Ip.ok("netns", "add", name);
        return found;
    }

    private static void assertTheirs(String name, NetNamespace ours) {
        assertThat(NetNamespace.list()).as("ip netns list").contains(name);
        try (NetNamespace theirs = NetNamespace.open(name)) {
            assertThat(theirs.inode()).as("the namespace the name holds").isNotEqualTo(ours.inode());
        }
    }
}
