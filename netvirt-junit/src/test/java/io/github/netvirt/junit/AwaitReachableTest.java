package io.github.netvirt.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link TestNetwork#awaitReachable} leaves no connection behind: the server's first accept() is the real client. */
@NetvirtTest
class AwaitReachableTest {
    @Network
    static TestNetwork net = TwoHosts.serverAndClient("10.0.0");

    @Test
    @RunIn("server")
    void theServersFirstAcceptIsTheRealClient() throws Exception {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("10.0.0.1", 8080));
            net.awaitReachable("client", "10.0.0.1", 8080, Duration.ofSeconds(5));
            net.awaitReachable("client", "10.0.0.1", 8080, Duration.ofSeconds(5));
            try (Socket client = net.namespace("client").socketFactory().createSocket("10.0.0.1", 8080)) {
                OutputStream out = client.getOutputStream();
                out.write("hello".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                s.setSoTimeout(5000);
                try (Socket first = s.accept()) {
                    assertThat(first.getPort())
                            .as("the first accepted connection's port")
                            .isEqualTo(client.getLocalPort());
                    first.setSoTimeout(5000);
                    InputStream in = first.getInputStream();
                    assertThat(new String(in.readNBytes(5), StandardCharsets.US_ASCII))
                            .isEqualTo("hello");
                }
            }
        }
    }
}
