package io.github.netvirt.core;

import io.github.netvirt.netns.NetNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** One TCP exchange through sockets opened inside two namespaces. */
final class Tcp {
    private Tcp() {}

    /** Sends a line from {@code client} to {@code serverIp}:{@code port} in {@code server}; returns the echo. */
    static String echo(NetNamespace client, NetNamespace server, String serverIp, int port, String text)
            throws Exception {
        try (ServerSocketChannel ss = server.openServerSocketChannel()) {
            ss.bind(new InetSocketAddress(serverIp, port));
            CompletableFuture<Void> srv = CompletableFuture.runAsync(() -> {
                try (SocketChannel c = ss.accept()) {
                    ByteBuffer b = ByteBuffer.allocate(256);
                    c.read(b);
                    b.flip();
                    c.write(b);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            try (SocketChannel c = client.openSocketChannel()) {
                c.socket().connect(new InetSocketAddress(serverIp, port), 3000);
                c.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
                ByteBuffer in = ByteBuffer.allocate(256);
                c.socket().setSoTimeout(3000);
                int n = c.socket().getInputStream().read(in.array());
                srv.get(5, TimeUnit.SECONDS);
                return n <= 0 ? "" : new String(in.array(), 0, n, StandardCharsets.UTF_8);
            }
        }
    }
}
