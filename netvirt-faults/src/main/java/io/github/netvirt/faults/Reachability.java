package io.github.netvirt.faults;

import io.github.netvirt.netlink.Address;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.Require;
import io.github.netvirt.netns.internal.Uninterrupted;
import java.io.IOException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Reachability checks between namespaces with plain Java sockets opened inside them: no
 * {@code ping} binary, no raw sockets. A TCP probe counts a refused connection as an answer (the
 * target's kernel sent a RST, so the path works both ways); silence until the timeout means the
 * packets were dropped on the way. Every method checks its arguments first: a null one is a
 * {@link NullPointerException} naming it, a timeout that is not positive, a destination port 0 or a
 * destination address that names no host (multicast, the broadcast {@code 255.255.255.255}, the
 * wildcard {@code 0.0.0.0} or {@code ::}, or the broadcast address of an IPv4 subnet on one of the probing
 * namespace's own devices) an {@link IllegalArgumentException}, before anything is sent. The subnet
 * broadcasts are those its kernel routes as {@code broadcast}, read from one address dump of the
 * namespace per probe (none for an IPv6 target): an address's {@code brd} (on any prefix), and the last
 * address of its prefix below /31 (a /31 or /32 has none), whether its device is up or not. Another
 * subnet's broadcast is routed like a host address, and probed.
 */
public final class Reachability {
    /** Port used by {@link #pingAll}: nothing listens there, so a working path answers with a RST. */
    public static final int PROBE_PORT = 9;

    /** The most a UDP datagram can carry: 65 535 bytes less the UDP and, over IPv4, the IP header. */
    private static final int MAX_UDP_PAYLOAD_V4 = 65_507;

    private static final int MAX_UDP_PAYLOAD_V6 = 65_527;

    private static final byte[] BROADCAST = {-1, -1, -1, -1};

    private Reachability() {}

    /** Connects by TCP from {@code from} to {@code to}, then closes. */
    public static Probe tcp(NetNamespace from, InetSocketAddress to, Duration timeout) {
        check(from, to, timeout);
        return tcp(label(from), to.getAddress().getHostAddress(), from, to, timeout);
    }

    /** No address dump: {@link #pingAll} probes the addresses its hosts hold. */
    static Probe tcp(String fromName, String target, NetNamespace from, InetSocketAddress to, Duration timeout) {
        arguments(from, to, timeout);
        long start = System.nanoTime();
        try (SocketChannel ch = from.openSocketChannel()) {
            ch.socket().connect(to, timeoutMillis(timeout));
            return probe(fromName, target, to, Outcome.CONNECTED, start, null);
        } catch (SocketTimeoutException e) {
            return probe(fromName, target, to, Outcome.TIMEOUT, start, null);
        } catch (NoRouteToHostException e) {
            return probe(fromName, target, to, Outcome.UNREACHABLE, start, e.getMessage());
        } catch (ConnectException e) {
            String m = String.valueOf(e.getMessage());
            Outcome o = m.contains("refused")
                    ? Outcome.REFUSED
                    : m.contains("unreachable") ? Outcome.UNREACHABLE : Outcome.ERROR;
            return probe(fromName, target, to, o, start, m);
        } catch (IOException e) {
            return failed(fromName, target, to, start, e);
        }
    }

    /**
     * Sends a TCP SYN from {@code from} to {@code to} and reads the answer, without ever completing
     * a handshake: {@link Outcome#LISTENING} for a SYN-ACK (the probing namespace's kernel then
     * resets the half-open connection, so nothing reaches the server's accept queue: its
     * application never sees the probe), {@link Outcome#REFUSED} for a RST, {@link Outcome#TIMEOUT}
     * for silence (a lost SYN is sent again every 200 ms). Uses a raw socket in {@code from}, so it
     * needs {@code CAP_NET_RAW} there (root has it, and so has the owner of a user-namespace sandbox).
     * A probe by {@link #tcp} instead completes the handshake, and the server's kernel queues that
     * connection for {@code accept()} even though the probe closes it at once.
     *
     * @throws IllegalArgumentException if {@code to} is unresolved or names no host, or {@code timeout} not
     *     positive
     * @throws IllegalStateException if {@code from} refuses the raw socket (EPERM: no {@code CAP_NET_RAW})
     */
    public static Probe tcpSyn(NetNamespace from, InetSocketAddress to, Duration timeout) {
        check(from, to, timeout);
        return SynProbe.probe(label(from), to.getAddress().getHostAddress(), from, to, timeout);
    }

    /**
     * Sends {@code payload} by UDP from {@code from} to {@code to} and waits for one datagram back
     * (an echo server answers {@link Outcome#REPLIED}; a closed port {@link Outcome#REFUSED}).
     *
     * @throws IllegalArgumentException also if {@code payload} is empty (the JDK sends no empty datagram
     *     on a connected channel) or does not fit one datagram: more than 65 507 bytes to an IPv4
     *     address, 65 527 to an IPv6 one
     */
    public static Probe udp(NetNamespace from, InetSocketAddress to, byte[] payload, Duration timeout) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(payload, "payload");
        check(from, to, timeout);
        if (payload.length == 0) {
            throw new IllegalArgumentException("an empty payload: a connected DatagramChannel sends nothing for it");
        }
        int max = to.getAddress() instanceof Inet4Address ? MAX_UDP_PAYLOAD_V4 : MAX_UDP_PAYLOAD_V6;
        if (payload.length > max) {
            throw new IllegalArgumentException("a payload of " + payload.length
                    + " bytes does not fit one UDP datagram to " + to + " (at most " + max + ")");
        }

        String fromName = label(from);
        String target = to.getAddress().getHostAddress();
        long start = System.nanoTime();
        try (DatagramChannel ch = from.openDatagramChannel()) {
            ch.connect(to);
            ch.write(ByteBuffer.wrap(payload));
            ch.socket().setSoTimeout(timeoutMillis(timeout));
            DatagramPacket reply = new DatagramPacket(new byte[65536], 65536);
            ch.socket().receive(reply);
            return probe(fromName, target, to, Outcome.REPLIED, start, reply.getLength() + " bytes");
        } catch (SocketTimeoutException e) {
            return probe(fromName, target, to, Outcome.TIMEOUT, start, null);
        } catch (PortUnreachableException e) {
            return probe(fromName, target, to, Outcome.REFUSED, start, null);
        } catch (IOException e) {
            return failed(fromName, target, to, start, e);
        }
    }

    /**
     * Waits until a server listens on {@code address:port} and the path from {@code host} to it
     * works both ways, probing with {@link #tcpSyn} (a SYN answered by a SYN-ACK) every 10 ms. No
     * connection is completed, so the server's first {@code accept()} returns its first real client,
     * never a probe.
     *
     * @throws UnreachableException after {@code timeout} (the last probe may wait up to 50 ms beyond
     *         it), with the last probe
     * @throws IllegalArgumentException if {@code timeout} is not positive, {@code port} is 0 or out of range,
     *     or {@code address} names no host
     * @throws IllegalStateException at once if {@code host} refuses the raw socket (EPERM: no
     *     {@code CAP_NET_RAW}), which no wait would change
     */
    public static void awaitReachable(NetNamespace host, InetAddress address, int port, Duration timeout) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(address, "address"); // not the wildcard address InetSocketAddress makes of null
        Objects.requireNonNull(timeout, "timeout");
        InetSocketAddress to = new InetSocketAddress(address, port);
        check(host, to, timeout);
        long wait = Require.waitNanos(timeout, "timeout");
        long deadline = System.nanoTime() + wait;
        Probe last;
        while (true) {
            long left = deadline - System.nanoTime();
            // at least 50 ms for an answer, so that the last probe is not cut short into a TIMEOUT
            last = SynProbe.probe(
                    label(host),
                    address.getHostAddress(),
                    host,
                    to,
                    Duration.ofNanos(Math.max(50_000_000L, Math.min(left, 1_000_000_000L))));
            if (last.outcome() == Outcome.LISTENING) {
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new UnreachableException(
                        "not reachable within " + TimeUnit.NANOSECONDS.toMillis(wait) + " ms: " + last, last);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnreachableException("interrupted while waiting: " + last, last);
            }
        }
    }

    /**
     * Probes every ordered pair of {@code hosts} (name to namespace): from each host, a TCP SYN to
     * {@link #PROBE_PORT} of every global address of every other host, IPv4 and IPv6 (an IPv6
     * link-local one is left out: it names no host off its link), found by dumping its addresses. A
     * RST or a connection counts as reachable. Probes run in parallel.
     */
    public static ReachabilityReport pingAll(Map<String, NetNamespace> hosts, Duration timeout) {
        NonNull.entries(hosts, "hosts");
        positive(timeout);
        Map<String, List<InetAddress>> addresses = new LinkedHashMap<>();
        for (Map.Entry<String, NetNamespace> h : hosts.entrySet()) {
            addresses.put(h.getKey(), global(h.getValue()));
        }
        List<Future<Probe>> pending = new ArrayList<>();
        ExecutorService pool =
                Executors.newFixedThreadPool(Math.min(16, Math.max(1, hosts.size() * hosts.size())), r -> {
                    Thread t = NetNamespace.jvmThread(r, "netvirt-pingall");
                    t.setDaemon(true);
                    return t;
                });
        try {
            for (Map.Entry<String, NetNamespace> from : hosts.entrySet()) {
                for (Map.Entry<String, List<InetAddress>> to : addresses.entrySet()) {
                    if (to.getKey().equals(from.getKey())) {
                        continue;
                    }
                    for (InetAddress a : to.getValue()) {
                        InetSocketAddress target = new InetSocketAddress(a, PROBE_PORT);
                        pending.add(
                                pool.submit(() -> tcp(from.getKey(), to.getKey(), from.getValue(), target, timeout)));
                    }
                }
            }
            List<Probe> probes = new ArrayList<>();
            for (Future<Probe> f : pending) {
                probes.add(f.get());
            }
            return new ReachabilityReport(probes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** The global-scope addresses in {@code ns}, IPv4 and IPv6. */
    private static List<InetAddress> global(NetNamespace ns) {
        try (NetlinkHandle h = NetlinkHandle.open(ns)) {
            List<InetAddress> out = new ArrayList<>();
            for (Address a : h.addrList()) {
                if (a.scope() == 0) {
                    out.add(a.prefix().address());
                }
            }
            return out;
        }
    }

    /** The global-scope IPv4 addresses in {@code ns}. */
    public static List<InetAddress> globalIpv4(NetNamespace ns) {
        Objects.requireNonNull(ns, "ns");
        List<InetAddress> out = global(ns);
        out.removeIf(a -> !(a instanceof Inet4Address));
        return out;
    }

    private static Probe probe(String from, String target, InetSocketAddress to, Outcome o, long start, String detail) {
        return new Probe(from, target, to, o, Duration.ofNanos(System.nanoTime() - start), detail);
    }

    /** Any other I/O failure of a probe: UNREACHABLE when the kernel said so, ERROR otherwise. */
    private static Probe failed(String from, String target, InetSocketAddress to, long start, IOException e) {
        Outcome o = String.valueOf(e.getMessage()).contains("unreachable") ? Outcome.UNREACHABLE : Outcome.ERROR;
        return probe(from, target, to, o, start, e.toString());
    }

    private static String label(NetNamespace ns) {
        return ns.name().orElseGet(ns::id);
    }

    private static int timeoutMillis(Duration timeout) {
        return (int) Math.max(
                1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(Require.waitNanos(timeout, "timeout"))));
    }

    /** {@link #arguments}, then refuses a broadcast address of a subnet of {@code from}'s (one address dump). */
    private static void check(NetNamespace from, InetSocketAddress to, Duration timeout) {
        arguments(from, to, timeout);
        // held back, so that an interrupt stops the probe as it always did (the Probe comes back, the
        // interrupt status set), not the dump
        Address own = Uninterrupted.call(() -> SubnetBroadcast.of(from, to.getAddress()));
        if (own != null) {
            throw new IllegalArgumentException(to.getAddress().getHostAddress() + " is the broadcast address of "
                    + SubnetBroadcast.describe(own) + ", which names no host to probe");
        }
    }

    private static void arguments(NetNamespace from, InetSocketAddress to, Duration timeout) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(timeout, "timeout");
        if (to.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address " + to);
        }
        if (to.getPort() == 0) {
            throw new IllegalArgumentException("port 0 is no destination: " + to);
        }
        InetAddress a = to.getAddress();
        String noHost = a.isMulticastAddress()
                ? "a multicast address"
                : a.isAnyLocalAddress()
                        ? "the wildcard address"
                        : a instanceof Inet4Address && Arrays.equals(a.getAddress(), BROADCAST)
                                ? "the broadcast address"
                                : null;
        if (noHost != null) {
            throw new IllegalArgumentException(a.getHostAddress() + " is " + noHost + ", which names no host to probe");
        }
        positive(timeout);
    }

    private static void positive(Duration timeout) {
        if (Objects.requireNonNull(timeout, "timeout").isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
    }
}
