package io.github.netvirt.netns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.ServerSocketChannel;
import javax.net.ServerSocketFactory;

/** Server sockets whose fd is created inside a namespace (see {@link NamespaceSocketFactory}). */
final class NamespaceServerSocketFactory extends ServerSocketFactory {
    private final NetNamespace ns;

    NamespaceServerSocketFactory(NetNamespace ns) {
        this.ns = ns;
    }

    @Override
    public ServerSocket createServerSocket() throws IOException {
        return ns.openChannel(ServerSocketChannel::open).socket();
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        return bind(new InetSocketAddress(port), 50);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
        return bind(new InetSocketAddress(port), backlog);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
        return bind(new InetSocketAddress(address, port), backlog);
    }

    private ServerSocket bind(InetSocketAddress local, int backlog) throws IOException {
        return NamespaceSocketFactory.closeOnFailure(createServerSocket(), s -> s.bind(local, backlog));
    }
}
