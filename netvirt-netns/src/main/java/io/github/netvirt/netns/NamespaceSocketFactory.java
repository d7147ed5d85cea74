package io.github.netvirt.netns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import javax.net.SocketFactory;

/**
 * Sockets whose file descriptor is created inside a namespace. {@code java.net.Socket} creates its
 * fd lazily, on whatever thread first binds or connects; a channel's fd exists at {@code open()},
 * so each socket here is the adaptor of a channel opened inside the namespace.
 */
final class NamespaceSocketFactory extends SocketFactory {
    private final NetNamespace ns;

    NamespaceSocketFactory(NetNamespace ns) {
        this.ns = ns;
    }

    @Override
    public Socket createSocket() throws IOException {
        return ns.openChannel(SocketChannel::open).socket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connect(createSocket(), new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connect(createSocket(), new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket s = createSocket();
        bindQuietlyClosing(s, new InetSocketAddress(localHost, localPort));
        return connect(s, new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress host, int port, InetAddress localAddress, int localPort)
            throws IOException {
        Socket s = createSocket();
        bindQuietlyClosing(s, new InetSocketAddress(localAddress, localPort));
        return connect(s, new InetSocketAddress(host, port));
    }

    private static void bindQuietlyClosing(Socket s, InetSocketAddress local) throws IOException {
        try {
            s.bind(local);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    private static Socket connect(Socket s, InetSocketAddress remote) throws IOException {
        try {
            s.connect(remote);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }
}
