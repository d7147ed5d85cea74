package io.github.netvirt.examples.httpintegration;

import com.sun.net.httpserver.HttpServer;
import io.github.netvirt.core.Topology;
import io.github.netvirt.core.TopologyBuilder;
import io.github.netvirt.examples.Example;
import io.github.netvirt.faults.Reachability;
import io.github.netvirt.netns.NetNamespace;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * An integration test without Docker: the JDK's HTTP server in namespace {@code server}
 * (10.0.4.1:8080), clients in {@code client1} and {@code client2}, all on a bridge in {@code lan}.
 * Mid-test, client2's cable is pulled at the switch ({@code ip link set c2-port down} in
 * {@code lan}): its requests time out while client1 carries on; the cable goes back in and client2
 * recovers.
 *
 * <pre>
 *   server 10.0.4.1 ---+
 *   client1 10.0.4.11 -+- lan: br
 *   client2 10.0.4.12 -+   (c2-port cut, then restored)
 * </pre>
 *
 * {@code java -jar netvirt-examples.jar http-integration}: exit code 0 if both the failure and
 * the recovery were observed.
 */
public final class HttpIntegration {
    public static final String URL_TEXT = "http://10.0.4.1:8080/hello";

    private HttpIntegration() {}

    public static TopologyBuilder topology() {
        return Topology.create()
                .ephemeral()
                .ns("server")
                .veth("eth0", "lan", "server-port")
                .addr("10.0.4.1/24")
                .ns("client1")
                .veth("eth0", "lan", "c1-port")
                .addr("10.0.4.11/24")
                .ns("client2")
                .veth("eth0", "lan", "c2-port")
                .addr("10.0.4.12/24")
                .ns("lan")
                .bridge("br")
                .ports("server-port", "c1-port", "c2-port");
    }

    /**
     * Starts the JDK's HTTP server on 10.0.4.1:8080 inside {@code ns}: the listening socket is
     * created on a thread in the namespace, the server's own threads may live anywhere.
     */
    public static HttpServer startServer(NetNamespace ns) throws Exception {
        HttpServer server = ns.call(() -> HttpServer.create(new InetSocketAddress("10.0.4.1", 8080), 0));
        server.createContext("/hello", exchange -> {
            byte[] body = ("hello " + exchange.getRemoteAddress().getAddress().getHostAddress())
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        });
        server.start();
        return server;
    }

    /**
     * GET {@link #URL_TEXT} from {@code client}, with {@code timeout} to connect and to read: a client
     * built here, on a socket of the client's namespace, not run inside it. Code run inside keeps
     * what it starts there: HttpURLConnection's keep-alive timer, born in {@code call()}, kept the
     * namespace alive after close (and the JDK ignores a Connection header set by the caller).
     */
    public static String get(NetNamespace client, Duration timeout) throws IOException {
        int millis = (int) timeout.toMillis();
        try (Socket s = client.socketFactory().createSocket()) {
            s.connect(new InetSocketAddress("10.0.4.1", 8080), millis);
            s.setSoTimeout(millis);
            OutputStream out = s.getOutputStream();
            out.write("GET /hello HTTP/1.1\r\nHost: 10.0.4.1:8080\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int body = response.indexOf("\r\n\r\n");
            if (!response.startsWith("HTTP/1.1 200 ") || body < 0) {
                throw new IOException("unexpected response from " + URL_TEXT + ": "
                        + response.lines().findFirst().orElse("(none)"));
            }
            return response.substring(body + 4);
        }
    }

    public static int run(String... args) throws Exception {
        return run(System.out, args);
    }

    /** Runs the example with what it prints going to {@code out}; the result is the exit code. */
    public static int run(PrintStream out, String... args) throws Exception {
        Example.noArguments(args);
        try (Topology t = topology().apply()) {
            HttpServer server = startServer(t.namespace("server"));
            try {
                NetNamespace c1 = t.namespace("client1");
                NetNamespace c2 = t.namespace("client2");
                Duration patient = Duration.ofSeconds(3); // for requests that should work, even on a loaded machine
                Duration impatient = Duration.ofMillis(500); // for the one that should fail
                boolean before = get(c1, patient).equals("hello 10.0.4.11")
                        & get(c2, patient).equals("hello 10.0.4.12");
                out.println("before the cut: client1 ok, client2 ok: " + before);

                t.down("lan", "c2-port");
                boolean client2Failed;
                try {
                    get(c2, impatient);
                    client2Failed = false;
                } catch (IOException e) {
                    client2Failed = true;
                    out.println("cable of client2 cut: client2 fails: " + e);
                }
                boolean client1Fine = get(c1, patient).equals("hello 10.0.4.11");
                out.println("during the cut: client1 ok: " + client1Fine + ", client2 failed: " + client2Failed);

                t.up("lan", "c2-port");
                long start = System.nanoTime();
                Reachability.awaitReachable(c2, InetAddress.getByName("10.0.4.1"), 8080, Duration.ofSeconds(10));
                boolean recovered = get(c2, patient).equals("hello 10.0.4.12");
                out.println("cable restored: client2 reachable again after "
                        + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms, request ok: " + recovered);
                return before && client2Failed && client1Fine && recovered ? 0 : 1;
            } finally {
                server.stop(0);
            }
        }
    }
}
