/**
 * A JUnit 5 extension for tests that need a real network, scoped like {@code @TempDir} and
 * Testcontainers' {@code @Container}.
 *
 * <pre>{@code
 * @NetvirtTest
 * class ClientServerTest {
 *     @Network   // static: one network for the class; an instance field: one per test method
 *     static TestNetwork net = TestNetwork.of(Topology.create()
 *             .ns("server").veth("eth0", "client", "eth0").addr("10.0.0.1/24")
 *             .ns("client").dev("eth0").addr("10.0.0.2/24"));
 *
 *     @Test
 *     void clientSurvivesACut(@Host("client") NetNamespace client, Topology topology) { ... }
 *
 *     @Test
 *     @RunIn("server")   // the body runs on a thread inside "server": plain new ServerSocket() works
 *     void serverSide() { ... }
 * }
 * }</pre>
 *
 * Namespaces are ephemeral and prefixed automatically, so classes run in parallel
 * ({@code junit.jupiter.execution.parallel.enabled}); a static network in a base class is shared by
 * the classes that extend it while they run. Networks are removed after their scope even
 * when it fails; {@code @NetvirtTest(keepOnFailure = true)} keeps a failed one (named namespaces)
 * and prints the {@code ip netns exec} commands to inspect it. Failure messages carry the network's
 * description and the iproute2 script that builds it. Without root the class fails, saying what is
 * missing, unless {@code @NetvirtTest(skipWithoutPrivileges = true)}. {@link CaptureOnFailure}
 * keeps a pcap file per device of a failed test; {@link TestNetwork#schedule(java.time.Duration,
 * io.github.netvirt.faults.ScheduledFault.Kind...)} runs seeded fault schedules whose seed and
 * timeline failure messages show.
 */
package io.github.netvirt.junit;
