package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A name under /run/netns that someone replaced with a symbolic link to another mount point: removing
 * the name removes the link, never the mount it leads to.
 */
@RequiresRoot
class SymlinkedNameTest {

    @Test
    void deletingANameThatIsASymlinkLeavesTheMountItLeadsTo() throws Exception {
        String name = TestNames.unique("nn");
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "nn-mnt-");
        try {
            NetNamespace.create(name).close();
            Ip.ok("netns", "del", name);
            Ip.exec(List.of("mount", "-t", "tmpfs", "nn-tmpfs", dir.toString())).ok();
            assertThat(mounted(dir)).isTrue();
            Files.createSymbolicLink(NetNamespace.nameFile(name), dir);

            NetNamespace.delete(name);

            assertThat(mounted(dir)).as("the tmpfs the link led to").isTrue();
            assertThat(NetNamespace.nameFile(name)).doesNotExist();
        } finally {
            cleanUp(name, dir);
        }
    }

    @Test
    void deletingAHandleWhoseNameIsNowASymlinkLeavesTheMountItLeadsTo() throws Exception {
        String name = TestNames.unique("nn");
        Path file = Files.createTempFile(Path.of("/tmp"), "nn-ns-", "");
        try {
            NetNamespace ns = NetNamespace.create(name);
            // the same namespace mounted elsewhere, and the name replaced by a link to it
            Ip.exec(List.of("mount", "--bind", NetNamespace.nameFile(name).toString(), file.toString()))
                    .ok();
            Ip.exec(List.of("umount", NetNamespace.nameFile(name).toString())).ok();
            Files.delete(NetNamespace.nameFile(name));
            Files.createSymbolicLink(NetNamespace.nameFile(name), file);
            assertThat(mounted(file)).isTrue();

            ns.delete();

            assertThat(mounted(file)).as("the bind mount the link led to").isTrue();
            assertThat(Files.exists(NetNamespace.nameFile(name), LinkOption.NOFOLLOW_LINKS))
                    .isFalse();
        } finally {
            cleanUp(name, file);
        }
    }

    private static void cleanUp(String name, Path mountPoint) throws Exception {
        Path p = NetNamespace.nameFile(name);
        if (Files.isSymbolicLink(p)) {
            Files.delete(p);
        }
        while (mounted(mountPoint)) {
            Ip.exec(List.of("umount", mountPoint.toString())).ok();
        }
        Files.deleteIfExists(mountPoint);
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            Ip.run("netns", "del", name);
        }
    }

    /** Whether something is mounted on {@code p}, as /proc/self/mountinfo says. */
    static boolean mounted(Path p) throws Exception {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .map(l -> l.split(" ")[4])
                .anyMatch(p.toString()::equals);
    }
}
