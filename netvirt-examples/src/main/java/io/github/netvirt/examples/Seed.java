package io.github.netvirt.examples;

import io.github.netvirt.core.Topology;
import io.github.netvirt.core.TopologyBuilder;
import io.github.netvirt.netns.NetNamespace;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The seed recipe: namespaces {@code net0} and {@code net1}, each joined by a veth pair to the
 * bridge {@code br} in namespace {@code bridge}; 10.0.1.1/24 and 10.0.1.2/24. Proves TCP both ways
 * through sockets opened inside the namespaces, then tears everything down.
 *
 * <pre>
 * seed            build, prove connectivity, tear down (exit 0 only when connectivity was proven)
 * seed --keep     build, prove connectivity, leave it up for inspection (ip netns, ip -n net0 addr)
 * seed --down     remove what "seed --keep" left, and what a killed run (kill -9) left
 * --prefix P      prefix the namespace names (P + net0, ...) so copies can coexist
 * </pre>
 */
public final class Seed implements Example {
    private final PrintStream out;

    Seed() {
        this(System.out);
    }

    Seed(PrintStream out) {
        this.out = out;
    }

    @Override
    public String name() {
        return "seed";
    }

    @Override
    public String summary() {
        return "the seed recipe: net0 and net1 joined by bridge br";
    }

    /** The recipe, one line per idea (what netvirt-bench's seed workload measures). */
    public static TopologyBuilder topology(String prefix) {
        return Topology.create()
                .prefix(prefix)
                .ns("net0")
                .veth("net0-bridge", "bridge", "bridge-net0")
                .addr("10.0.1.1/24")
                .ns("net1")
                .veth("net1-bridge", "bridge", "bridge-net1")
                .addr("10.0.1.2/24")
                .ns("bridge")
                .bridge("br")
                .ports("bridge-net0", "bridge-net1");
    }

    @Override
    public String syntax() {
        return "[--keep | --down] [--prefix P]";
    }

    @Override
    public int run(String... args) throws Exception {
        boolean keep = false;
        boolean down = false;
        String prefix = "";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--keep" -> keep = true;
                case "--down" -> down = true;
                case "--prefix" -> {
                    if (i + 1 >= args.length || args[i + 1].startsWith("-")) {
                        throw new UsageException(
                                "--prefix needs a value" + (i + 1 < args.length ? ", not an option" : ""));
                    }
                    prefix = args[++i];
                }
                default -> throw new UsageException("unknown option \"" + args[i] + "\"");
            }
        }
        if (keep && down) {
            throw new UsageException("--keep and --down exclude each other");
        }
        TopologyBuilder spec = topology(prefix);
        if (down) {
            List<String> removed = new ArrayList<>();
            // what a killed run left (kill -9: no hook ran), named by its crash record; also any other
            // dead netvirt JVM's, as the next apply's background cleanup would remove them
            Topology.cleanup().removed().forEach(r -> removed.add(r + " (its JVM died)"));
            removed.addAll(spec.removeDetached());
            if (removed.isEmpty()) {
                out.println("no kept seed topology found" + (prefix.isEmpty() ? "" : " with prefix " + prefix));
            } else {
                removed.forEach(r -> out.println("removed " + r));
            }
            return 0;
        }
        out.println("# plan");
        out.print(spec.plan());
        Topology t = spec.apply();
        OnExit closing = OnExit.run(t::close); // Ctrl-C from here on: netvirt's hook closes no topology
        boolean ok = false;
        try {
            out.println("# topology");
            out.print(t);
            out.printf("apply: %.3f ms%n", t.applyTime().toNanos() / 1e6);
            boolean a = tcp(t.namespace("net0"), t.namespace("net1"), "10.0.1.2", "net0", "net1");
            boolean b = tcp(t.namespace("net1"), t.namespace("net0"), "10.0.1.1", "net1", "net0");
            ok = a && b;
            if (keep) {
                t.detach();
                out.println("kept: inspect with `ip netns`, `ip -n " + prefix + "net0 addr`; remove with `seed --down"
                        + (prefix.isEmpty() ? "" : " --prefix " + prefix) + "`");
            }
        } catch (IllegalStateException e) {
            if (closing.ran()) {
                return 130; // stopped (Ctrl-C): the hook closed the topology under this thread
            }
            throw e;
        } finally {
            if (t.isOpen()) {
                t.close();
                out.printf("close: %.3f ms%n", t.closeTime().toNanos() / 1e6);
            }
            closing.close();
        }
        out.println(ok ? "connectivity proven both ways" : "CONNECTIVITY FAILED");
        return ok ? 0 : 1;
    }

    private boolean tcp(NetNamespace client, NetNamespace server, String ip, String from, String to) {
        String msg = "hello-from-" + from;
        try {
            String echo = echo(client, server, ip, 5213, msg);
            boolean ok = msg.equals(echo);
            out.println("tcp " + from + " -> " + ip + ":5213 (listener in " + to + "): "
                    + (ok ? "ok, echoed \"" + echo + "\"" : "FAILED, got \"" + echo + "\""));
            return ok;
        } catch (Exception e) {
            out.println("tcp " + from + " -> " + ip + ":5213 (listener in " + to + "): FAILED: " + e);
            return false;
        }
    }

    /**
     * One echo over TCP with plain {@code java.net} sockets from the namespaces' factories: the
     * listener in {@code server} sends back what it reads, the client in {@code client} reads it.
     */
    static String echo(NetNamespace client, NetNamespace server, String ip, int port, String text) throws Exception {
        InetAddress address = InetAddress.getByName(ip);
        try (ServerSocket listener = server.serverSocketFactory().createServerSocket(port, 1, address)) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (Socket s = listener.accept()) {
                    s.getInputStream().transferTo(s.getOutputStream());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            try (Socket s = client.socketFactory().createSocket()) {
                s.connect(new InetSocketAddress(address, port), 3000);
                s.setSoTimeout(3000);
                s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
                s.shutdownOutput();
                String echo = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                served.get(5, TimeUnit.SECONDS);
                return echo;
            }
        }
    }
}
