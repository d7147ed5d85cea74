package io.github.netvirt.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.core.Topology;
import io.github.netvirt.netns.NetNamespace;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Runs at the same time as ParallelOneTest (junit.jupiter.execution.parallel.enabled, see
 * src/test/resources/junit-platform.properties): the same logical network, the same addresses and
 * the same port in both classes at once, without clashing.
 */
@NetvirtTest
class ParallelTwoTest {
    @Network
    static TestNetwork net = TestNetwork.of(Topology.create()
            .ns("server")
            .veth("eth0", "client", "eth0")
            .addr("10.5.0.1/24")
            .ns("client")
            .dev("eth0")
            .addr("10.5.0.2/24"));

    @Test
    void sameNamesAndAddressesAsTheOtherClassAtTheSameTime(
            @Host("server") NetNamespace server, @Host("client") NetNamespace client) throws Exception {
        Rendezvous.SERVER_IDS.put(getClass().getSimpleName(), server.id());
        try (ServerSocket ss = server.serverSocketFactory().createServerSocket()) {
            ss.bind(new InetSocketAddress("10.5.0.1", 9000));
            Rendezvous.meet(); // both classes now listen on 10.5.0.1:9000
            Future<Integer> echo = server.submit(() -> {
                try (Socket s = ss.accept()) {
                    int v = new DataInputStream(s.getInputStream()).readInt();
                    new DataOutputStream(s.getOutputStream()).writeInt(v + 1);
                    return v;
                }
            });
            try (Socket c = client.socketFactory().createSocket("10.5.0.1", 9000)) {
                new DataOutputStream(c.getOutputStream()).writeInt(200);
                assertThat(new DataInputStream(c.getInputStream()).readInt()).isEqualTo(200 + 1);
            }
            assertThat(echo.get()).isEqualTo(200);
            Rendezvous.meet(); // both exchanges done while both networks existed
        }
        assertThat(Rendezvous.SERVER_IDS).hasSize(2);
        assertThat(Rendezvous.SERVER_IDS.get("ParallelOneTest"))
                .isNotEqualTo(Rendezvous.SERVER_IDS.get("ParallelTwoTest"));
    }
}
