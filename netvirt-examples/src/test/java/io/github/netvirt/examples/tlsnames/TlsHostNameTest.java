package io.github.netvirt.examples.tlsnames;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.netvirt.netns.testing.RequiresRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@RequiresRoot
class TlsHostNameTest {
    /** The JDK running the tests when it is 18 or later (a CI job on 25), else Temurin 25 where this machine has it. */
    static final Path JDK25 = Runtime.version().feature() >= 18
            ? Path.of(System.getProperty("java.home"), "bin", "java")
            : Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    /** On JDK 25 the client resolves "server" with InetAddress inside the client host. */
    @Test
    void onJdk25TheClientResolvesTheNameWithInetAddress() throws Exception {
        assumeTrue(Files.isExecutable(JDK25), "JDK 17 and no JDK 25 at " + JDK25);
        assumeTrue(
                getClass().getResource("/META-INF/services/java.net.spi.InetAddressResolverProvider") != null,
                "this build has no InetAddressResolverProvider (built by JDK 17 without Temurin 25's javac)");
        Process p = new ProcessBuilder(List.of(
                        JDK25.toString(),
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        TlsHostName.class.getName()))
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("resolved server to 10.0.7.1 by InetAddress");
        assertThat(p.exitValue()).as(out).isZero();
    }
}
