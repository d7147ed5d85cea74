package io.github.netvirt.examples.twomachines;

import io.github.netvirt.core.Topology;
import io.github.netvirt.core.TopologyBuilder;
import io.github.netvirt.examples.Example;
import io.github.netvirt.faults.Reachability;
import io.github.netvirt.faults.ReachabilityReport;
import io.github.netvirt.netlink.Neighbor;
import io.github.netvirt.netns.NetNamespace;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Future;

/**
 * Two "machines" (namespaces {@code machine1} and {@code machine2}) joined by an underlay veth
 * (192.168.100.0/24), each with a bridge {@code br0} and two hosts; the bridges are joined by a
 * VXLAN tunnel (VNI 42, UDP 4789) over the underlay, so the four hosts share one Ethernet segment
 * (10.0.5.0/24) as if on one switch: they find each other by ARP, with no route anywhere. This is
 * how a topology grows past one real machine: replace the underlay veth by a real network.
 *
 * <pre>
 *   h1 10.0.5.1 --+                                            +-- h3 10.0.5.3
 *                 br0 - vx0 === underlay 192.168.100.1 - .2 === vx0 - br0
 *   h2 10.0.5.2 --+        machine1                   machine2     +-- h4 10.0.5.4
 * </pre>
 *
 * The underlay's MTU is 1550 so that the tunnel carries full 1500-byte frames (VXLAN adds 50).
 * {@code java -jar netvirt-examples.jar two-machines}: exit code 0 if every host reaches every
 * other one, h1 learnt h3's own MAC address by ARP across the tunnel, and 1 MB crossed intact.
 */
public final class TwoMachines {
    private TwoMachines() {}

    public static TopologyBuilder topology() {
        return Topology.create()
                .ephemeral()
                .ns("machine1")
                .veth("underlay", "machine2", "underlay")
                .addr("192.168.100.1/24")
                .mtu(1550)
                .ns("machine2")
                .dev("underlay")
                .addr("192.168.100.2/24")
                .mtu(1550)
                .ns("h1")
                .veth("eth0", "machine1", "h1-port")
                .addr("10.0.5.1/24")
                .ns("h2")
                .veth("eth0", "machine1", "h2-port")
                .addr("10.0.5.2/24")
                .ns("h3")
                .veth("eth0", "machine2", "h3-port")
                .addr("10.0.5.3/24")
                .ns("h4")
                .veth("eth0", "machine2", "h4-port")
                .addr("10.0.5.4/24")
                .ns("machine1")
                .vxlan("vx0", 42)
                .local("192.168.100.1")
                .remote("192.168.100.2")
                .lower("underlay")
                .mtu(1500)
                .bridge("br0")
                .ports("vx0", "h1-port", "h2-port")
                .ns("machine2")
                .vxlan("vx0", 42)
                .local("192.168.100.2")
                .remote("192.168.100.1")
                .lower("underlay")
                .mtu(1500)
                .bridge("br0")
                .ports("vx0", "h3-port", "h4-port");
    }

    public static int run(String... args) throws Exception {
        return run(System.out, args);
    }

    /** Runs the example with what it prints going to {@code out}; the result is the exit code. */
    public static int run(PrintStream out, String... args) throws Exception {
        Example.noArguments(args);
        try (Topology t = topology().apply()) {
            Map<String, NetNamespace> hosts = new LinkedHashMap<>();
            for (String h : new String[] {"h1", "h2", "h3", "h4"}) {
                hosts.put(h, t.namespace(h));
            }
            ReachabilityReport report = Reachability.pingAll(hosts, Duration.ofSeconds(2));
            out.println("every host reaches every other one: " + report.allReachable() + " (" + report + ")");

            InetAddress h3 = InetAddress.getByName("10.0.5.3");
            String h3Mac = t.link("h3", "eth0").mac().toString();
            String learnt = null;
            for (Neighbor n : t.netlink("h1").neighList()) {
                if (h3.equals(n.ip()) && n.mac() != null) {
                    learnt = n.mac().toString();
                }
            }
            boolean sameSegment = h3Mac.equals(learnt);
            out.println("h1 learnt 10.0.5.3 at " + learnt + " by ARP through the tunnel, h3's eth0 is " + h3Mac
                    + ": one segment: " + sameSegment);

            boolean bulk = transfer(t.namespace("h1"), t.namespace("h4"), 1 << 20);
            out.println("1 MiB h1 -> h4 across the tunnel intact: " + bulk);
            return report.allReachable() && sameSegment && bulk ? 0 : 1;
        }
    }

    /** Sends {@code size} random bytes from a socket in {@code from} to one in {@code to}: true when intact. */
    private static boolean transfer(NetNamespace from, NetNamespace to, int size) throws Exception {
        byte[] data = new byte[size];
        new Random(42).nextBytes(data);
        InetAddress address = InetAddress.getByName("10.0.5.4");
        try (ServerSocket listener = to.serverSocketFactory().createServerSocket(7000, 1, address)) {
            Future<byte[]> digest = to.submit(() -> {
                try (Socket s = listener.accept();
                        DigestInputStream in = new DigestInputStream(s.getInputStream(), sha256())) {
                    in.transferTo(OutputStream.nullOutputStream());
                    return in.getMessageDigest().digest();
                }
            });
            try (Socket s = from.socketFactory().createSocket(address, 7000)) {
                s.getOutputStream().write(data);
            }
            return MessageDigest.isEqual(digest.get(), sha256().digest(data));
        }
    }

    private static MessageDigest sha256() throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256");
    }
}
