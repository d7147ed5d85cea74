package io.github.netvirt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.examples.httpintegration.HttpIntegration;
import io.github.netvirt.examples.tlsnames.TlsHostName;
import io.github.netvirt.examples.twomachines.TwoMachines;
import io.github.netvirt.examples.userspacehost.UserspaceHost;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each runnable example, run as {@code java -jar netvirt-examples.jar NAME} runs it: exit 0 and what it claims. */
@RequiresRoot
class RunnableExamplesTest {
    /** An example, and lines its output must contain. */
    record Case(String name, ExampleOutput.Run example, List<String> claims) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> examples() {
        return Stream.of(
                new Case(
                        "two-machines: hosts on two machines share one segment through VXLAN",
                        TwoMachines::run,
                        List.of(
                                "every host reaches every other one: true (all 12 probes answered)",
                                "one segment: true",
                                "1 MiB h1 -> h4 across the tunnel intact: true")),
                new Case(
                        "userspace-host: a kernel namespace resolves, pings and talks UDP to a Java host",
                        UserspaceHost::run,
                        List.of(
                                "icmp echo pc -> 10.0.2.100: ok",
                                "udp echo pc -> 10.0.2.100:7: ok",
                                "arp: pc resolved 10.0.2.100 to 02:00:0a:00:02:64: ok")),
                new Case(
                        "http-integration: the runnable example observes failure and recovery",
                        HttpIntegration::run,
                        List.of(
                                "before the cut: client1 ok, client2 ok: true",
                                "during the cut: client1 ok: true, client2 failed: true",
                                "request ok: true")),
                new Case(
                        "tls-hostname: the server's certificate is verified against its host name",
                        TlsHostName::run,
                        List.of(
                                "getent ahostsv4 server, in a process in client: 10.0.7.1 ",
                                "resolved server to 10.0.7.1",
                                "verified CN=server for the name server, reply: HELLO -> true",
                                "the same certificate for the name client: rejected (")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void runsAndPrintsWhatItClaims(Case c) throws Exception {
        assertThat(ExampleOutput.ofSuccess(c.example())).contains(c.claims());
    }
}
