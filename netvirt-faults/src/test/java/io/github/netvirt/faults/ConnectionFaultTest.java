package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.faults.testing.Lan;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Connection faults observed by a real client: a TCP echo server in one namespace, a client in another,
 * the fault in the server's namespace; what the client's sockets report before, during and after.
 */
@RequiresRoot
class ConnectionFaultTest {
    @RegisterExtension
    static final Lan lan = Lan.perClass(2);

    static NetNamespace client;
    static NetNamespace server;
    static final int PORT = 7100;

    EchoServer echo;
    final List<Socket> sockets = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void up() {
        client = lan.host(0);
        server = lan.host(1);
    }

    @BeforeEach
    void startServer() throws IOException {
        echo = new EchoServer(server, PORT);
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        echo.close();
        assertThat(PartitionTest.nftTables(server))
                .as("the fault's table is gone")
                .doesNotContain("netvirt_fault_");
    }

    @Test
    void refuseDropsNewConnectionsAndLeavesEstablishedOnes() throws Exception {
        Socket before = connect(2000);
        try (ConnectionFault f = ConnectionFault.refuse(server, PORT)) {
            assertThat(PartitionTest.nftTables(server)).contains("netvirt_fault_");
            assertThatThrownBy(() -> connect(700)).isInstanceOf(SocketTimeoutException.class);
            assertThat(echo(before, "still there", 3000)).isEqualTo("still there");
            assertThat(f.isActive()).isTrue();
        }
        assertThat(echo(connect(2000), "after heal", 3000)).isEqualTo("after heal");
    }

    @Test
    void refuseWithResetRefusesNewConnectionsAtOnce() throws Exception {
        Socket before = connect(2000);
        try (ConnectionFault f = ConnectionFault.refuseWithReset(server, PORT)) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> connect(5000))
                    .isInstanceOf(ConnectException.class)
                    .hasMessageContaining("refused");
            assertThat((System.nanoTime() - t0) / 1_000_000)
                    .as("refused, not timed out")
                    .isLessThan(4000);
            assertThat(echo(before, "still there", 3000)).isEqualTo("still there");
        }
        assertThat(echo(connect(2000), "after heal", 3000)).isEqualTo("after heal");
    }

    @Test
    void resetBreaksEstablishedConnections() throws Exception {
        Socket before = connect(2000);
        assertThat(echo(before, "hello", 3000)).isEqualTo("hello");
        try (ConnectionFault f = ConnectionFault.reset(server, PORT)) {
            assertThatThrownBy(() -> echo(before, "again", 3000))
                    .isInstanceOf(SocketException.class)
                    .hasMessageContaining("reset");
            assertThatThrownBy(() -> connect(5000)).isInstanceOf(ConnectException.class);
        }
        assertThat(echo(connect(2000), "after heal", 3000)).isEqualTo("after heal");
    }

    @Test
    void resetBreaksBothEndsWhenTheServerSpeaksFirst() throws Exception {
        try (ServerSocket listener = server.serverSocketFactory().createServerSocket()) {
            listener.bind(new InetSocketAddress(Lan.address(1), PORT + 2));
            Socket c = client.socketFactory().createSocket();
            sockets.add(c);
            c.connect(listener.getLocalSocketAddress(), 2000);
            try (Socket accepted = listener.accept();
                    ConnectionFault f = ConnectionFault.reset(server, PORT + 2)) {
                accepted.getOutputStream().write('x');
                // delivered; the client's acknowledgement is answered with a reset
                assertThat(readExactly(c, 1, 3000)).isEqualTo("x");
                c.setSoTimeout(3000);
                assertThatThrownBy(() -> c.getInputStream().read())
                        .as("client")
                        .isInstanceOf(SocketException.class)
                        .hasMessageContaining("reset");
                // the server retransmits what was not acknowledged; the client's kernel answers with a reset
                accepted.setSoTimeout(5000);
                assertThatThrownBy(() -> accepted.getInputStream().read())
                        .as("server")
                        .isInstanceOf(SocketException.class)
                        .hasMessageContaining("reset");
            }
        }
    }

    @Test
    void blackholeStallsEstablishedFlowsUntilHealed() throws Exception {
        Socket before = connect(2000);
        assertThat(echo(before, "hello", 3000)).isEqualTo("hello");
        ConnectionFault f = ConnectionFault.blackhole(server, Port.tcp(PORT));
        try {
            before.getOutputStream().write("stalled".getBytes());
            before.setSoTimeout(1000);
            assertThatThrownBy(() -> before.getInputStream().read())
                    .as("a hung peer: the read stalls")
                    .isInstanceOf(SocketTimeoutException.class);
            assertThatThrownBy(() -> connect(700)).isInstanceOf(SocketTimeoutException.class);
        } finally {
            f.heal();
        }
        assertThat(f.isActive()).isFalse();
        // TCP retransmits what was lost: the same connection carries on
        assertThat(readExactly(before, "stalled".length(), 15000)).isEqualTo("stalled");
        assertThat(echo(before, "recovered", 3000)).isEqualTo("recovered");
    }

    @Test
    void blackholeOfAUdpPortDropsItsDatagramsOnly() throws Exception {
        try (DatagramChannel rx = server.openDatagramChannel();
                DatagramChannel tx = client.openDatagramChannel()) {
            rx.bind(new InetSocketAddress(Lan.address(1), PORT + 1));
            rx.socket().setSoTimeout(700);
            try (ConnectionFault f = ConnectionFault.blackhole(server, Port.udp(PORT + 1))) {
                tx.send(ByteBuffer.wrap("lost".getBytes()), rx.getLocalAddress());
                assertThatThrownBy(() -> rx.socket().receive(new DatagramPacket(new byte[16], 16)))
                        .isInstanceOf(SocketTimeoutException.class);
                assertThat(echo(connect(2000), "tcp unaffected", 3000)).isEqualTo("tcp unaffected");
            }
            rx.socket().setSoTimeout(3000);
            tx.send(ByteBuffer.wrap("arrives".getBytes()), rx.getLocalAddress());
            DatagramPacket p = new DatagramPacket(new byte[16], 16);
            rx.socket().receive(p);
            assertThat(new String(p.getData(), 0, p.getLength())).isEqualTo("arrives");
        }
    }

    @Test
    void healingTwiceIsANoOpAndBadInputIsRefused() {
        ConnectionFault f = ConnectionFault.refuse(server, PORT);
        f.heal();
        f.heal();
        assertThat(f.toString()).contains("healed");
        assertThatThrownBy(() -> ConnectionFault.refuse(server, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConnectionFault.blackhole(server, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("port");
        assertThatThrownBy(() -> new Port(1, 80)).isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------------ sockets

    private Socket connect(int timeoutMillis) throws IOException {
        Socket s = client.socketFactory().createSocket();
        sockets.add(s);
        s.connect(new InetSocketAddress(Lan.address(1), PORT), timeoutMillis);
        return s;
    }

    private static String echo(Socket s, String text, int timeoutMillis) throws IOException {
        s.getOutputStream().write(text.getBytes());
        s.getOutputStream().flush();
        return readExactly(s, text.length(), timeoutMillis);
    }

    private static String readExactly(Socket s, int n, int timeoutMillis) throws IOException {
        s.setSoTimeout(timeoutMillis);
        byte[] b = new byte[n];
        int got = 0;
        InputStream in = s.getInputStream();
        while (got < n) {
            int r = in.read(b, got, n - got);
            if (r < 0) {
                throw new IOException("end of stream after " + got + " bytes");
            }
            got += r;
        }
        return new String(b);
    }

    /** Echoes every connection's bytes back, one thread per connection. */
    static final class EchoServer implements AutoCloseable {
        private final ServerSocket socket;
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        EchoServer(NetNamespace ns, int port) throws IOException {
            socket = ns.serverSocketFactory().createServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(Lan.address(1), port));
            acceptor = new Thread(this::acceptLoop, "echo-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void acceptLoop() {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    accepted.add(s);
                    Thread t = new Thread(() -> pump(s), "echo");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private static void pump(Socket s) {
            try (s;
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream()) {
                byte[] b = new byte[1024];
                int n;
                while ((n = in.read(b)) > 0) {
                    out.write(b, 0, n);
                }
            } catch (IOException e) {
                // the connection was reset or closed: that is what some tests do
            }
        }

        /**
         * Closes the listening socket and waits for the accept thread to leave {@code accept()}: the
         * JDK swaps the fd for a closed one at once, but the kernel keeps the socket listening until
         * the blocked {@code accept} returns, and the next test's bind to the port failed meanwhile
         * (EADDRINUSE, once in a CI run). Then closes the connections it accepted.
         */
        @Override
        public void close() throws IOException {
            socket.close();
            try {
                acceptor.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertThat(acceptor.isAlive())
                    .as("the echo server's accept thread has ended")
                    .isFalse();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }
}
