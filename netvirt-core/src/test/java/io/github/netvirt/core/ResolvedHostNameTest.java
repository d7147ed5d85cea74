package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An address {@code InetAddress} resolved from a topology's host name inside one of its namespaces
 * carries that name, as the JDK's own resolver gives every name it resolves (and as a host's
 * {@code socketFactory()} does): its {@code getHostName()} answers without a reverse lookup, also
 * on a thread outside. JDK 18+ (the resolver provider), in a child JVM on Temurin 25.
 */
@RequiresRoot
class ResolvedHostNameTest {

    @Test
    void anAddressResolvedInsideCarriesTheHostName() throws Exception {
        assumeTrue(
                Files.isExecutable(HostNamesTest.JDK25),
                "JDK 17 and no JDK 25 at " + HostNamesTest.JDK25 + ": InetAddressResolverProvider not tested");
        assumeTrue(
                getClass().getResource("/io/github/netvirt/core/HostResolverProvider.class") != null,
                "this build has no InetAddressResolverProvider (built by JDK 17 without Temurin 25's javac)");
        List<String> cmd = List.of(
                HostNamesTest.JDK25.toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                Child.class.getName(),
                TestNames.unique("hk") + "-");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out.lines()).contains("inside: server/10.0.0.1", "outside, the address resolved inside: server");
    }

    /** Runs in the JDK 25 child. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            try (Topology t = HostNamesTest.clientServer(args[0]).apply()) {
                InetAddress a = t.namespace("client").call(() -> InetAddress.getByName("server"));
                System.out.println("inside: " + a);
                System.out.println("outside, the address resolved inside: " + a.getHostName());
            }
        }
    }
}
