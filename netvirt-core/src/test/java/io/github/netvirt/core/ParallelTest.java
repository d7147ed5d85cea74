package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Eight copies of the seed, same logical names and addresses, applied at once; each one's traffic stays in it. */
@RequiresRoot
class ParallelTest {
    private static final int COPIES = 8;

    @Test
    void eightPrefixedCopiesSideBySide() throws Exception {
        String base = TestNames.unique("co");
        List<Topology> copies = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(COPIES);
        try {
            List<Future<Topology>> futures = new ArrayList<>();
            for (int i = 0; i < COPIES; i++) {
                String prefix = base + "-" + i + "-";
                futures.add(pool.submit(() -> Seeds.seed().prefix(prefix).apply()));
            }
            for (Future<Topology> f : futures) {
                copies.add(f.get());
            }
            for (int i = 0; i < COPIES; i++) {
                assertThat(Reference.namespaces(base + "-" + i + "-")).hasSize(3);
            }
            // each copy answers on its own port only; the same address in another copy refuses it
            List<ServerSocketChannel> servers = new ArrayList<>();
            try {
                for (int i = 0; i < COPIES; i++) {
                    ServerSocketChannel s = copies.get(i).namespace("net1").openServerSocketChannel();
                    s.bind(new InetSocketAddress("10.0.1.2", 6000 + i));
                    servers.add(s);
                }
                for (int i = 0; i < COPIES; i++) {
                    Topology t = copies.get(i);
                    try (SocketChannel c = t.namespace("net0").openSocketChannel()) {
                        c.socket().connect(new InetSocketAddress("10.0.1.2", 6000 + i), 3000);
                        try (SocketChannel accepted = servers.get(i).accept()) {
                            assertThat(accepted.getRemoteAddress().toString()).contains("10.0.1.1");
                        }
                    }
                    int other = 6000 + (i + 1) % COPIES;
                    assertThatThrownBy(() -> {
                                try (SocketChannel c = t.namespace("net0").openSocketChannel()) {
                                    c.socket().connect(new InetSocketAddress("10.0.1.2", other), 3000);
                                }
                            })
                            .isInstanceOf(ConnectException.class);
                    assertThat(Tcp.echo(t.namespace("net1"), t.namespace("net0"), "10.0.1.1", 7000, "copy " + i))
                            .isEqualTo("copy " + i);
                }
            } finally {
                for (ServerSocketChannel s : servers) {
                    s.close();
                }
            }
        } finally {
            for (Topology t : copies) {
                t.close();
            }
            pool.shutdownNow();
        }
        assertThat(Reference.namespaces(base + "-")).isEmpty();
    }
}
