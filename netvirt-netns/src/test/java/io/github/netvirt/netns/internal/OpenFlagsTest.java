package io.github.netvirt.netns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.LastErrorException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Open flags whose value depends on the architecture (the kernel's arch/.../uapi/asm/fcntl.h). */
class OpenFlagsTest {
    @Test
    void noFollowIsTheArchitecturesOwnValue() {
        assertThat(LibC.noFollow("amd64")).isEqualTo(0400000);
        assertThat(LibC.noFollow("riscv64")).isEqualTo(0400000);
        // arm64: 0400000 is O_LARGEFILE there
        assertThat(LibC.noFollow("aarch64")).isEqualTo(0100000);
        assertThat(LibC.noFollow("arm")).isEqualTo(0100000);
        assertThat(LibC.noFollow("ppc64le")).isEqualTo(0100000);
    }

    @Test
    void tmpFileCarriesTheArchitecturesOwnDirectoryFlag() {
        assertThat(LibC.tmpFile("amd64")).isEqualTo(020200000);
        assertThat(LibC.tmpFile("riscv64")).isEqualTo(020200000);
        assertThat(LibC.tmpFile("aarch64")).isEqualTo(020040000);
        assertThat(LibC.tmpFile("ppc64le")).isEqualTo(020040000);
    }

    @Test
    void openRefusesASymlinkWithThisMachinesValue() throws Exception {
        Path dir = Files.createTempDirectory("ntflags-");
        Path target = Files.writeString(dir.resolve("target"), "x");
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        try {
            int fd = LibC.open(LibC.path(link.toString()), LibC.O_RDONLY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
            LibC.close(fd);
            throw new AssertionError("opened a symlink with O_NOFOLLOW");
        } catch (LastErrorException e) {
            assertThat(e.getErrorCode()).isEqualTo(40); // ELOOP
        } finally {
            Files.delete(link);
            Files.delete(target);
            Files.delete(dir);
        }
    }

    @Test
    void tmpFileMakesAnUnnamedFileThatLinkatNames() throws Exception {
        Path dir = Files.createTempDirectory("ntflags-");
        int fd = LibC.open(LibC.path(dir.toString()), LibC.O_TMPFILE | LibC.O_WRONLY | LibC.O_CLOEXEC, 0);
        try (var listed = Files.list(dir)) {
            assertThat(listed).isEmpty();
            Path named = dir.resolve("named");
            LibC.linkat(
                    LibC.AT_FDCWD,
                    LibC.path("/proc/self/fd/" + fd),
                    LibC.AT_FDCWD,
                    LibC.path(named.toString()),
                    LibC.AT_SYMLINK_FOLLOW);
            assertThat(FileStat.of(named.toString(), false).inode())
                    .isEqualTo(FileStat.of(fd).inode());
            Files.delete(named);
        } finally {
            LibC.close(fd);
            Files.delete(dir);
        }
    }
}
