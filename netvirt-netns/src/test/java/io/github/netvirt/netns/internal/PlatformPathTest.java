package io.github.netvirt.netns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The library path JNA is given (so that it does not run ldconfig), from the JVM's {@code os.arch}. */
class PlatformPathTest {
    @ParameterizedTest
    @CsvSource({
        "amd64, x86_64-linux-gnu",
        "x86_64, x86_64-linux-gnu",
        "aarch64, aarch64-linux-gnu",
        "arm, arm-linux-gnueabihf",
        "x86, i386-linux-gnu",
        "ppc64le, powerpc64le-linux-gnu",
        "s390x, s390x-linux-gnu",
        "riscv64, riscv64-linux-gnu",
        "loongarch64, loongarch64-linux-gnu"
    })
    void aKnownArchitectureGetsItsMultiarchDirectoriesFirstThenTheGenericOnes(String arch, String triplet) {
        assertThat(JnaSetup.platformPath(arch).split(":"))
                .containsExactly("/lib/" + triplet, "/usr/lib/" + triplet, "/lib64", "/usr/lib64", "/lib", "/usr/lib");
    }

    @Test
    void anUnknownArchitectureGetsTheGenericDirectoriesOnly() {
        assertThat(JnaSetup.platformPath("sparcv9")).isEqualTo("/lib64:/usr/lib64:/lib:/usr/lib");
        assertThat(JnaSetup.platformPath("")).isEqualTo("/lib64:/usr/lib64:/lib:/usr/lib");
    }

    @Test
    void thisMachinesPathHoldsItsCLibrary() {
        String path = JnaSetup.platformPath(System.getProperty("os.arch"));
        assertThat(Arrays.stream(path.split(File.pathSeparator))
                        .map(Path::of)
                        .anyMatch(d -> Files.exists(d.resolve("libc.so.6"))))
                .as(path)
                .isTrue();
    }
}
