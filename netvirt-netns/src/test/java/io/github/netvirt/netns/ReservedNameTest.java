package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.internal.FileStat;
import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link NetNamespace#reserveName}: a name taken before its namespace, through a file proven before it has the name. */
@RequiresRoot
class ReservedNameTest {

    @Test
    void theFileIsProvenBeforeItHasTheNameAndAnAttachedNamespaceKeepsIt() throws Exception {
        String name = TestNames.unique("nvr");
        Path file = NetNamespace.nameFile(name);
        List<Boolean> namedWhenTold = new ArrayList<>();
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.of(name);
                ReservedName r = NetNamespace.reserveName(name, f -> namedWhenTold.add(Files.exists(file)))) {
            assertThat(namedWhenTold).containsExactly(false);
            FileStat st = FileStat.of(file.toString(), false);
            assertThat(st.isRegularFile()).isTrue();
            assertThat(st.size()).isZero();
            assertThat(new NameFile(st.inode(), st.birth())).isEqualTo(r.file());
            assertThat(r.file().birth()).as("ext4 and tmpfs give a birth time").isNotZero();
            try (NetNamespace ns = NetNamespace.ephemeral();
                    NetNamespace named = ns.attach(r)) {
                assertThat(named.name()).contains(name);
                assertThat(NetNamespace.nameState(name, ns.cookie())).isEqualTo(NameState.SAME);
                assertThat(NetNamespace.isNameFile(name, r.file())).isTrue();
                assertThatThrownBy(() -> ns.attach(r)).isInstanceOf(IllegalStateException.class);
                r.close(); // mounted on: closing gives nothing back
                assertThat(Ip.ok("netns", "list")).containsPattern("(?m)^" + name + "( |$)");
                named.delete();
            }
        }
        assertThat(file).doesNotExist();
    }

    @Test
    void closingGivesTheNameBackOnlyWhileItIsStillTheFileMade() throws Exception {
        String name = TestNames.unique("nvr");
        Path file = NetNamespace.nameFile(name);
        try (ReservedName r = NetNamespace.reserveName(name, f -> {})) {
            r.close();
            assertThat(file).doesNotExist();
            r.close();
            try (NetNamespace ns = NetNamespace.ephemeral()) {
                assertThatThrownBy(() -> ns.attach(r)).isInstanceOf(IllegalStateException.class);
            }
        }
        // someone removed the name and took it again meanwhile: theirs is left alone
        ReservedName r = NetNamespace.reserveName(name, f -> {});
        try {
            Files.delete(file);
            Files.createFile(file);
            r.close();
            assertThat(file).exists();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void aTakenNameFailsAndAFailingBeforeNamedLeavesNoName() throws Exception {
        String name = TestNames.unique("nvr");
        try (NetNamespace taken = NetNamespace.create(name)) {
            assertThatThrownBy(() -> NetNamespace.reserveName(name, f -> {}))
                    .isInstanceOfSatisfying(
                            NetnsException.class,
                            e -> assertThat(e.is(Errno.EEXIST)).isTrue())
                    .hasMessageContaining("network namespace \"" + name + "\" already exists");
            assertThat(NetNamespace.nameState(name, taken.cookie())).isEqualTo(NameState.SAME);
            taken.delete();
        }
        assertThatThrownBy(() -> NetNamespace.reserveName(name, f -> {
                    throw new IllegalStateException("the record is full");
                }))
                .hasMessage("the record is full");
        assertThat(NetNamespace.nameFile(name)).doesNotExist();
    }
}
