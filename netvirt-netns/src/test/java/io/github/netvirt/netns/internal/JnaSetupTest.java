package io.github.netvirt.netns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JnaSetupTest {
    private Path root;

    @BeforeEach
    void tmp() throws IOException {
        root = Files.createTempDirectory("jnasetup-");
    }

    @AfterEach
    void rm() throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static byte[] jarCopy() throws IOException {
        try (InputStream in =
                Platform.class.getResourceAsStream("/com/sun/jna/" + Platform.RESOURCE_PREFIX + "/libjnidispatch.so")) {
            return in.readAllBytes();
        }
    }

    @Test
    void jnaLoadsItsDispatchLibraryFromTheCacheNotFromAFreshTemporaryFile() {
        LibC.gettid();
        assertThat(System.getProperty("jnidispatch.path"))
                .isEqualTo(JnaSetup.cacheDir().resolve("libjnidispatch.so").toString());
    }

    @Test
    void theCacheIsWrittenOnceAndKeptWhileItMatchesTheJar() throws IOException {
        Path dir = root.resolve("netvirt").resolve("jna");
        assertThat(JnaSetup.cached(dir)).isTrue();
        Path lib = dir.resolve("libjnidispatch.so");
        assertThat(Files.readAllBytes(lib)).isEqualTo(jarCopy());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                .isEqualTo("rwx------");
        Object inode = Files.getAttribute(lib, "unix:ino");
        assertThat(JnaSetup.cached(dir)).isTrue();
        assertThat(Files.getAttribute(lib, "unix:ino")).isEqualTo(inode);
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s).containsExactly(lib);
        }
    }

    @Test
    void aCopyThatDiffersFromTheJarIsReplaced() throws IOException {
        Path dir = root.resolve("netvirt").resolve("jna");
        assertThat(JnaSetup.cached(dir)).isTrue();
        Path lib = dir.resolve("libjnidispatch.so");
        byte[] bad = jarCopy();
        bad[bad.length / 2] ^= 1;
        Files.write(lib, bad);
        assertThat(JnaSetup.cached(dir)).isTrue();
        assertThat(Files.readAllBytes(lib)).isEqualTo(jarCopy());
    }

    @Test
    void aDirectoryOthersCanWriteIsNotUsed() throws IOException {
        Path dir = root.resolve("netvirt").resolve("jna");
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(JnaSetup.cached(dir)).isFalse();
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s).isEmpty();
        }
    }
}
