package io.github.netvirt.netns.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** statx(2) read into {@link FileStat} says what the JDK's {@code unix:} attribute view says. */
class FileStatTest {
    @TempDir
    Path dir;

    @Test
    void aRegularFileAsTheJdkSeesIt() throws IOException {
        Path f = Files.writeString(dir.resolve("f"), "12345");
        FileStat st = FileStat.of(f.toString(), false);
        assertSameAsJdk(st, f, LinkOption.NOFOLLOW_LINKS);
        assertThat(st.isRegularFile()).isTrue();
        assertThat(st.isDirectory()).isFalse();
        assertThat(st.size()).isEqualTo(5);
    }

    @Test
    void aDirectoryAndItsPermissions() throws IOException {
        FileStat st = FileStat.of(dir.toString(), false);
        assertSameAsJdk(st, dir, LinkOption.NOFOLLOW_LINKS);
        assertThat(st.isDirectory()).isTrue();
        assertThat(st.permissions()).isEqualTo((Integer) Files.getAttribute(dir, "unix:mode") & 07777);
    }

    @Test
    void aSymbolicLinkIsFollowedOnlyWhenAsked() throws IOException {
        Path target = Files.writeString(dir.resolve("t"), "x");
        Path link = Files.createSymbolicLink(dir.resolve("l"), target);
        FileStat self = FileStat.of(link.toString(), false);
        assertThat(self.isSymbolicLink()).isTrue();
        assertSameAsJdk(self, link, LinkOption.NOFOLLOW_LINKS);
        FileStat followed = FileStat.of(link.toString(), true);
        assertThat(followed.isRegularFile()).isTrue();
        assertThat(followed.inode())
                .isEqualTo(FileStat.of(target.toString(), false).inode());
    }

    @Test
    void theNsfsFileOfTheThreadsNamespace() throws IOException {
        Path ns = Path.of("/proc/thread-self/ns/net");
        assertSameAsJdk(FileStat.of(ns.toString(), true), ns);
    }

    @Test
    void anOpenFileByItsFd() throws IOException {
        Path f = Files.writeString(dir.resolve("f"), "abc");
        int fd = Sys.open(f.toString(), LibC.O_RDONLY);
        try {
            assertThat(FileStat.of(fd)).isEqualTo(FileStat.of(f.toString(), false));
        } finally {
            Sys.closeQuietly(fd);
        }
        // not the fd just closed: a test running beside this one may have opened a file under its number
        int notOpen = Integer.MAX_VALUE;
        assertThatThrownBy(() -> FileStat.of(notOpen))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("fd " + notOpen + ": ")
                .hasMessageContaining("EBADF");
    }

    @Test
    void theJdkFallbackSaysTheSame() throws IOException {
        Path f = Files.writeString(dir.resolve("f"), "abc");
        Path link = Files.createSymbolicLink(dir.resolve("l"), f);
        // all but the birth time, which the fallback cannot read (0: unknown)
        assertThat(FileStat.viaJdk(f.toString(), 0, "f"))
                .usingRecursiveComparison()
                .ignoringFields("birth")
                .isEqualTo(FileStat.of(f.toString(), true));
        assertThat(FileStat.viaJdk(link.toString(), LibC.AT_SYMLINK_NOFOLLOW, "l"))
                .usingRecursiveComparison()
                .ignoringFields("birth")
                .isEqualTo(FileStat.of(link.toString(), false));
        assertThat(FileStat.viaJdk(f.toString(), 0, "f").birth()).isZero();
        assertThatThrownBy(() -> FileStat.viaJdk(dir.resolve("missing").toString(), 0, "missing"))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void statxHasANumberOnTheArchitecturesJavaRunsOn() {
        assertThat(LibC.statxNumber("amd64")).isEqualTo(332);
        assertThat(LibC.statxNumber("aarch64")).isEqualTo(291);
        assertThat(LibC.statxNumber("sparcv9")).isEqualTo(-1);
        assertThat(LibC.SYS_STATX).isPositive();
    }

    @Test
    void aMissingFileIsNoSuchFile() {
        assertThatThrownBy(() -> FileStat.of(dir.resolve("missing").toString(), false))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("missing");
    }

    @Test
    void aPathThroughAFileIsAnErrorNamingTheErrno() throws IOException {
        Path f = Files.writeString(dir.resolve("f"), "");
        assertThatThrownBy(() -> FileStat.of(f + "/below", false))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("ENOTDIR");
    }

    @Test
    void numbersWiderThanAnIntAndModeAndLinksAsTheJdkSeesThem() throws IOException {
        Path f = dir.resolve("sparse");
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.setLength(0x1_2345_6789L); // sparse: no disk used
        }
        Files.createLink(dir.resolve("second"), f);
        Files.setAttribute(f, "unix:mode", 04751);
        FileStat st = FileStat.of(f.toString(), false);
        assertSameAsJdk(st, f, LinkOption.NOFOLLOW_LINKS);
        assertThat(st.size()).isEqualTo(0x1_2345_6789L);
        assertThat(st.links()).isEqualTo(2);
        assertThat(st.permissions()).isEqualTo(04751);
    }

    private static void assertSameAsJdk(FileStat st, Path p, LinkOption... options) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:ino,dev,mode,uid,nlink,size", options);
        assertThat(st.inode()).isEqualTo(a.get("ino"));
        assertThat(st.device()).isEqualTo(a.get("dev"));
        assertThat(st.mode()).isEqualTo(a.get("mode"));
        assertThat(st.uid()).isEqualTo(a.get("uid"));
        assertThat(st.links()).isEqualTo(a.get("nlink"));
        assertThat(st.size()).isEqualTo(a.get("size"));
    }
}
