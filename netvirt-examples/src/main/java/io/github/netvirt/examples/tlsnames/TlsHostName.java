package io.github.netvirt.examples.tlsnames;

import io.github.netvirt.core.Topology;
import io.github.netvirt.core.TopologyBuilder;
import io.github.netvirt.examples.Example;
import io.github.netvirt.examples.OnExit;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS between two hosts of a topology, with the server's certificate issued to its host name and
 * verified against it, as a client on a real network verifies {@code https://server/}.
 *
 * <pre>
 *   client 10.0.7.2 --- 10.0.7.1 server   (TLS on port 8443, certificate CN=server, SAN dns:server)
 * </pre>
 *
 * The key and the self-signed certificate are made at run time by the JDK's {@code keytool} in a
 * temporary directory (removed at the end); the client trusts that one certificate and nothing
 * else. The client connects to the name {@code server}: on JDK 18 and later through
 * {@code InetAddress} inside the client host (netvirt-core's resolver), on JDK 17 through
 * {@link Topology#address}. The hostname check is the JDK's own ({@code
 * endpointIdentificationAlgorithm = HTTPS}); to show that it checks, the same certificate is then
 * presented for the name {@code client}, which must fail. Every started process also sees the
 * names: {@code getent hosts server} in the client.
 * {@code java -jar netvirt-examples.jar tls-hostname}: exit code 0 if all of that holds.
 */
public final class TlsHostName {
    static final int PORT = 8443;
    private static final char[] PASSWORD = "netvirt-example".toCharArray();

    private TlsHostName() {}

    public static TopologyBuilder topology() {
        return Topology.create()
                .ephemeral()
                .ns("server")
                .veth("eth0", "client", "eth0")
                .addr("10.0.7.1/24")
                .ns("client")
                .dev("eth0")
                .addr("10.0.7.2/24");
    }

    public static int run(String... args) throws Exception {
        return run(System.out, args);
    }

    /** For running this example alone: {@code java -cp ... TlsHostName}. */
    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    /** Runs the example with what it prints going to {@code out}; the result is the exit code. */
    public static int run(PrintStream out, String... args) throws Exception {
        Example.noArguments(args);
        Path dir = Files.createTempDirectory("netvirt-tls");
        OnExit removing = OnExit.run(() -> delete(dir)); // also when the JVM is stopped (Ctrl-C): a private key
        try (Topology t = topology().apply()) {
            KeyStore serverKeys = keyPairFor("server", dir);
            SSLContext serverTls = SSLContext.getInstance("TLS");
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(serverKeys, PASSWORD);
            serverTls.init(kmf.getKeyManagers(), null, null);
            SSLContext clientTls = trusting(serverKeys.getCertificate("server"));

            String getent = t.namespace("client")
                    .exec("getent", "ahostsv4", "server")
                    .stdout()
                    .lines()
                    .findFirst()
                    .orElse("");
            boolean processResolves = getent.startsWith("10.0.7.1 ");
            out.println("getent ahostsv4 server, in a process in client: " + getent + " -> " + processResolves);

            boolean byName = Runtime.version().feature() >= 18;
            try (SSLServerSocket listener = t.namespace("server").inside(() -> (SSLServerSocket) serverTls
                    .getServerSocketFactory()
                    .createServerSocket(PORT, 4, InetAddress.getByName("10.0.7.1")))) {
                Future<?> server = t.namespace("server").submit(() -> serve(listener, 2));

                String reply = t.namespace("client").call(() -> {
                    InetAddress address = byName ? InetAddress.getByName("server") : t.address("server");
                    try (SSLSocket s = connect(clientTls, address, "server")) {
                        s.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
                        s.getOutputStream().flush();
                        return "resolved server to " + address.getHostAddress()
                                + (byName ? " by InetAddress" : " by topology.address")
                                + ", verified "
                                + s.getSession().getPeerPrincipal().getName()
                                + " for the name server, reply: "
                                + new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
                    }
                });
                boolean verified = reply.endsWith("reply: HELLO");
                out.println("TLS client -> server: " + reply + " -> " + verified);

                String wrongName = t.namespace("client").call(() -> {
                    try (SSLSocket s = connect(clientTls, t.address("server"), "client")) {
                        s.startHandshake();
                        return "accepted";
                    } catch (SSLHandshakeException e) {
                        return "rejected (" + e.getMessage() + ")";
                    }
                });
                boolean rejected = wrongName.startsWith("rejected");
                out.println("the same certificate for the name client: " + wrongName + " -> " + rejected);
                server.get(10, TimeUnit.SECONDS);
                return processResolves && verified && rejected ? 0 : 1;
            }
        } finally {
            delete(dir);
            removing.close();
        }
    }

    /** Removes {@code dir} and what it holds (the key store: a private key). */
    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (NoSuchFileException gone) {
            // removed already (the JVM was stopped: the shutdown hook did it)
        }
    }

    /** A TLS connection to {@code address} that verifies the server's certificate against {@code name}. */
    private static SSLSocket connect(SSLContext tls, InetAddress address, String name) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(address, PORT), 5000);
        SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(plain, name, PORT, true);
        SSLParameters p = s.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS"); // the hostname check of https://name/
        s.setSSLParameters(p);
        s.setSoTimeout(5000);
        return s;
    }

    /** Answers {@code connections} clients, each with its line in upper case; failed handshakes are expected. */
    private static Void serve(SSLServerSocket listener, int connections) throws IOException {
        for (int i = 0; i < connections; i++) {
            try (Socket c = listener.accept()) {
                c.setSoTimeout(5000);
                InputStream in = c.getInputStream();
                StringBuilder line = new StringBuilder();
                int b;
                while ((b = in.read()) >= 0 && b != '\n') {
                    line.append((char) b);
                }
                OutputStream o = c.getOutputStream();
                o.write((line.toString().toUpperCase() + "\n").getBytes(StandardCharsets.US_ASCII));
            } catch (SSLHandshakeException | SocketException e) {
                // the last client refuses the certificate (wrong name): the server sees the handshake
                // fail, or its write land on a connection the client already closed (EPIPE)
                if (i < connections - 1) {
                    throw e;
                }
            }
        }
        return null;
    }

    /** A key pair and a self-signed certificate for {@code host} (CN and DNS subject alternative name), by keytool. */
    static KeyStore keyPairFor(String host, Path dir) throws Exception {
        Path store = dir.resolve(host + ".p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> cmd = List.of(
                keytool.toString(),
                "-genkeypair",
                "-alias",
                host,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=" + host,
                "-ext",
                "SAN=dns:" + host,
                "-validity",
                "1",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                new String(PASSWORD));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("keytool failed: " + output);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new ByteArrayInputStream(Files.readAllBytes(store))) {
            ks.load(in, PASSWORD);
        }
        return ks;
    }

    /** A TLS context that trusts {@code certificate} and nothing else. */
    private static SSLContext trusting(Certificate certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return tls;
    }
}
