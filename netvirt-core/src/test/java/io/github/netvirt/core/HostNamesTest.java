package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.netvirt.netns.ExecResult;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import org.junit.jupiter.api.Test;

/** The hosts of a topology have names: in started processes' /etc/hosts, in JVM lookups inside, and by address(). */
@RequiresRoot
class HostNamesTest {
    /** The JDK running the tests when it is 18 or later (a CI job on 25), else Temurin 25 where this machine has it. */
    static final Path JDK25 = Runtime.version().feature() >= 18
            ? Path.of(System.getProperty("java.home"), "bin", "java")
            : Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    static TopologyBuilder clientServer(String prefix) {
        return Topology.create()
                .prefix(prefix)
                .ns("server")
                .veth("eth0", "client", "eth0")
                .addr("10.0.0.1/24")
                .addr("fd00::1/64")
                .ns("client")
                .dev("eth0")
                .addr("10.0.0.2/24")
                .ns("quiet");
    }

    @Test
    void aProcessStartedInAHostResolvesTheOtherHostsAndSeesItsOwnInterfaces() throws Exception {
        try (Topology t = clientServer(TestNames.unique("hk") + "-").apply()) {
            ExecResult r = t.namespace("client").exec("getent", "hosts", "server");
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            // glibc's getent hosts asks for IPv6 first
            assertThat(r.stdout().trim().split("\\s+"))
                    .satisfiesAnyOf(
                            a -> assertThat(a).containsExactly("10.0.0.1", "server"),
                            a -> assertThat(a).containsExactly("fd00::1", "server"));
            assertThat(t.namespace("client")
                            .exec("getent", "ahostsv4", "server")
                            .stdout())
                    .startsWith("10.0.0.1 ");
            // not getent ahostsv6: with AI_ADDRCONFIG it answers only once client's link-local address is past DAD
            assertThat(t.namespace("client").exec("cat", "/etc/hosts").stdout()).contains("fd00::1\tserver\n");
            assertThat(t.namespace("server").exec("getent", "hosts", "client").stdout())
                    .startsWith("10.0.0.2");
            assertThat(t.namespace("client")
                            .exec("getent", "ahostsv4", "localhost")
                            .stdout())
                    .startsWith("127.0.0.1 ");
            assertThat(t.namespace("client").exec("getent", "hosts", "quiet").exitCode())
                    .as("a host without address has no name")
                    .isNotZero();

            ExecResult ls = t.namespace("server").exec("ls", "/sys/class/net");
            assertThat(Arrays.asList(ls.stdout().trim().split("\\s+"))).containsExactlyInAnyOrder("lo", "eth0");
            assertThat(t.namespace("client")
                            .exec("cat", "/sys/class/net/eth0/address")
                            .stdout()
                            .trim())
                    .isEqualTo(t.link("client", "eth0").mac().toString());
        }
    }

    @Test
    void addressIsTheFirstAddressOfTheHost() throws Exception {
        try (Topology t = clientServer(TestNames.unique("hk") + "-").apply()) {
            assertThat(t.address("server")).isEqualTo(InetAddress.getByName("10.0.0.1"));
            assertThat(t.address("client")).isEqualTo(InetAddress.getByName("10.0.0.2"));
            assertThatThrownBy(() -> t.address("quiet"))
                    .isInstanceOf(NoSuchElementException.class)
                    .hasMessageContaining("no address");
            assertThatThrownBy(() -> t.address("nope")).isInstanceOf(NoSuchElementException.class);
            t.close();
            assertThatThrownBy(() -> t.address("server")).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void theTableResolvesOnlyForThreadsInsideTheTopologyAndIsForgottenAtClose() throws Exception {
        Topology t = clientServer(TestNames.unique("hk") + "-").apply();
        try {
            assertThat(HostNames.resolve("server")).as("a thread outside").isNull();
            assertThat(t.namespace("client").call(() -> HostNames.resolve("SERVER")))
                    .containsExactly(InetAddress.getByName("10.0.0.1"), InetAddress.getByName("fd00::1"));
            assertThat(t.namespace("quiet").call(() -> HostNames.nameOf(InetAddress.getByName("10.0.0.2"))))
                    .isEqualTo("client");
            assertThat(t.namespace("quiet").call(() -> HostNames.resolve("example.org")))
                    .isNull();
        } finally {
            t.close();
        }
        try (Topology other = Topology.create().ephemeral().ns("solo").apply()) {
            assertThat(other.namespace("solo").call(() -> HostNames.resolve("server")))
                    .isNull();
        }
    }

    /**
     * A host name handed to a namespace's socket factory is the topology's: resolved from its table,
     * not by the JDK on the caller's thread (outside, where the name means nothing, and whose failure
     * the JDK would cache for the whole JVM).
     */
    @Test
    void theSocketFactoryOfAHostConnectsToAnotherHostByName() throws Exception {
        try (Topology t = clientServer(TestNames.unique("hk") + "-").apply();
                ServerSocket listener = t.namespace("server")
                        .serverSocketFactory()
                        .createServerSocket(0, 5, InetAddress.getByName("10.0.0.1"))) {
            SocketFactory client = t.namespace("client").socketFactory();
            try (Socket s = client.createSocket("server", listener.getLocalPort());
                    Socket accepted = listener.accept()) {
                assertThat(s.getInetAddress()).isEqualTo(InetAddress.getByName("10.0.0.1"));
                assertThat(s.getInetAddress().getHostName()).isEqualTo("server");
                assertThat(accepted.getInetAddress()).isEqualTo(InetAddress.getByName("10.0.0.2"));
            }
            try (Socket s = client.createSocket("SERVER", listener.getLocalPort(), null, 0);
                    Socket accepted = listener.accept()) {
                assertThat(accepted.getInetAddress()).isEqualTo(InetAddress.getByName("10.0.0.2"));
            }
            assertThatThrownBy(() -> client.createSocket("quiet", listener.getLocalPort()))
                    .as("a host without address has no name: the system's resolver answers")
                    .isInstanceOf(UnknownHostException.class);
        }
    }

    @Test
    void theNamesArePublishedWhenCodeCanFirstGetInAndFollowAChange() throws Exception {
        String prefix = TestNames.unique("hk") + "-";
        try (Topology t = clientServer(prefix).apply();
                NetNamespace byName = NetNamespace.open(prefix + "client")) {
            // apply() publishes nothing: no code is inside until namespace() hands a handle out
            assertThat(byName.call(() -> HostNames.resolve("server"))).isNull();
            NetNamespace client = t.namespace("client");
            assertThat(byName.call(() -> HostNames.resolve("server")))
                    .containsExactly(InetAddress.getByName("10.0.0.1"), InetAddress.getByName("fd00::1"));
            assertThat(client.etcFiles().get("hosts")).contains("10.0.0.1\tserver\n");

            t.change()
                    .ns("quiet")
                    .veth("eth1", "client", "eth1")
                    .addr("10.0.1.1/24")
                    .apply();
            assertThat(client.call(() -> HostNames.resolve("quiet")))
                    .as("published again at once after a change")
                    .containsExactly(InetAddress.getByName("10.0.1.1"));
        }
    }

    /**
     * {@code InetAddress.getByName("server")} inside {@code call()} on JDK 25: a child JVM on Temurin 25
     * (the surefire JVM is the build's JDK, 17 on CI), with the provider this build compiled.
     */
    @Test
    void inetAddressResolvesHostNamesInsideCallOnJdk25() throws Exception {
        assumeTrue(
                Files.isExecutable(JDK25),
                "JDK 17 and no JDK 25 at " + JDK25 + ": InetAddressResolverProvider not tested");
        assumeTrue(
                getClass().getResource("/io/github/netvirt/core/HostResolverProvider.class") != null
                        && getClass().getResource("/META-INF/services/java.net.spi.InetAddressResolverProvider")
                                != null,
                "this build has no InetAddressResolverProvider (built by JDK 17 without Temurin 25's javac)");
        String prefix = TestNames.unique("hk") + "-";
        List<String> cmd = List.of(
                JDK25.toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                ResolveChild.class.getName(),
                prefix);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).containsPattern("(?m)^java (1[89]|[2-9][0-9])$");
        assertThat(out.lines())
                .contains(
                        "inside client: server -> [server/10.0.0.1, server/fd00:0:0:0:0:0:0:1]",
                        "inside client: reverse 10.0.0.1 -> server",
                        "inside client: localhost -> true",
                        "outside: client -> UnknownHostException");
    }

    /** Runs in the JDK 25 child. */
    public static final class ResolveChild {
        public static void main(String[] args) throws Exception {
            System.out.println("java " + Runtime.version().feature());
            try (Topology t = clientServer(args[0]).apply()) {
                // first, and another name than below: the JDK caches answers (and failures) by name for the whole JVM
                try {
                    System.out.println("outside: client -> " + InetAddress.getByName("client"));
                } catch (UnknownHostException e) {
                    System.out.println("outside: client -> UnknownHostException");
                }
                t.namespace("client").call(() -> {
                    System.out.println(
                            "inside client: server -> " + Arrays.toString(InetAddress.getAllByName("server")));
                    System.out.println("inside client: reverse 10.0.0.1 -> "
                            + InetAddress.getByName("10.0.0.1").getCanonicalHostName());
                    System.out.println("inside client: localhost -> "
                            + InetAddress.getByName("localhost").isLoopbackAddress());
                    return null;
                });
            }
        }
    }
}
