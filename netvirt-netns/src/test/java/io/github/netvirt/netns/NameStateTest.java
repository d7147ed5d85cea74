package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.internal.FileStat;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What a name under /run/netns holds, and the empty files a kill leaves there. */
@RequiresRoot
class NameStateTest {

    @Test
    void aNameIsComparedWithAHeldNamespaceAndWithACookie() {
        String name = TestNames.unique("vc");
        try (NetNamespace named = NetNamespace.create(name);
                NetNamespace other = NetNamespace.ephemeral()) {
            assertThat(named.nameState(name)).isEqualTo(NameState.SAME);
            assertThat(other.nameState(name)).isEqualTo(NameState.OTHER);
            assertThat(other.nameState(TestNames.unique("vc"))).isEqualTo(NameState.ABSENT);
            assertThat(NetNamespace.nameState(name, named.cookie())).isEqualTo(NameState.SAME);
            assertThat(NetNamespace.nameState(name, other.cookie())).isEqualTo(NameState.OTHER);
            // a namespace's file has the nsfs inode mounted on it: never a leftover
            assertThat(NetNamespace.removeLeftover(NetNamespace.nameFile(name))).isFalse();
            assertThat(NetNamespace.exists(name)).isTrue();
        } finally {
            NetNamespace.delete(name);
        }
        assertThat(NetNamespace.nameState(name, 1)).isEqualTo(NameState.ABSENT);
    }

    @Test
    void aMountedNameIsToldFromAnotherFileByItsDirectoryEntry() throws Exception {
        String name = TestNames.unique("vc");
        String other = TestNames.unique("vc");
        NameFile[] made = new NameFile[1];
        try (NetNamespace ns = NetNamespace.ephemeral();
                ReservedName reserved = NetNamespace.reserveName(name, f -> made[0] = f);
                NetNamespace named = ns.attach(reserved)) {
            // stat sees the namespace mounted on the name, not the file the name was given
            assertThat(FileStat.of(NetNamespace.nameFile(name).toString(), true).inode())
                    .isNotEqualTo(made[0].inode());
            assertThat(NetNamespace.isNameFile(name, made[0])).isTrue();
            assertThat(NetNamespace.isNameFile(name, new NameFile(made[0].inode() + 1, made[0].birth())))
                    .isFalse();
            assertThat(NetNamespace.isNameFile(other, made[0])).isFalse();
            // the same namespace under another name (as ip netns attach gives one): another file
            try (NetNamespace again = named.attach(other)) {
                assertThat(NetNamespace.nameState(other, again.cookie())).isEqualTo(NameState.SAME);
                assertThat(NetNamespace.isNameFile(other, made[0])).isFalse();
            }
        } finally {
            for (String n : new String[] {name, other}) {
                if (NetNamespace.exists(n)) {
                    NetNamespace.delete(n);
                }
            }
        }
    }

    @Test
    void anEmptyFileIsNoNamespaceAndIsRemovedOnlyWithItsInode() throws Exception {
        String name = TestNames.unique("vc");
        try (NetNamespace keepsRunNetnsReady = NetNamespace.ephemeral()) {
            NetNamespace.create(name).delete(); // /run/netns exists and is prepared
            Path file = Files.createFile(NetNamespace.nameFile(name));
            try {
                FileStat st = FileStat.of(file.toString(), false);
                assertThat(st.birth()).as("ext4 and tmpfs give a birth time").isNotZero();
                assertThat(NetNamespace.nameState(name, keepsRunNetnsReady.cookie()))
                        .isEqualTo(NameState.NOT_A_NAMESPACE);
                assertThat(keepsRunNetnsReady.nameState(name)).isEqualTo(NameState.NOT_A_NAMESPACE);
                assertThat(NetNamespace.removeLeftover(file, new NameFile(st.inode() + 1, st.birth())))
                        .isFalse();
                assertThat(NetNamespace.removeLeftover(file, new NameFile(st.inode(), st.birth() - 1)))
                        .isFalse();
                assertThat(NetNamespace.removeLeftover(file, new NameFile(st.inode(), 0)))
                        .isFalse();
                assertThat(file).exists();
                assertThat(NetNamespace.removeLeftover(file, new NameFile(st.inode(), st.birth())))
                        .isTrue();
                assertThat(file).doesNotExist();
                assertThat(NetNamespace.removeLeftover(file)).isFalse();
            } finally {
                Files.deleteIfExists(file);
            }
        }
        assertThatThrownBy(() -> NetNamespace.removeLeftover(Path.of("/tmp", name)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
