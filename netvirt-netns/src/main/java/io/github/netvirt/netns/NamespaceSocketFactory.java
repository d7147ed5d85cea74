package io.github.netvirt.netns;

import io.github.netvirt.netns.internal.HostTables;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;

/**
 * Sockets whose file descriptor is created inside a namespace. {@code java.net.Socket} creates its
 * fd lazily, on whatever thread first binds or connects; a channel's fd exists at {@code open()},
 * so each socket here is the adaptor of a channel opened inside the namespace. {@link #serverSockets()}
 * does the same for server sockets.
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
        return closeOnFailure(createSocket(), s -> s.connect(remote(host, port)));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return closeOnFailure(createSocket(), s -> s.connect(new InetSocketAddress(host, port)));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return closeOnFailure(createSocket(), s -> {
            s.bind(new InetSocketAddress(localHost, localPort));
            s.connect(remote(host, port));
        });
    }

    @Override
    public Socket createSocket(InetAddress host, int port, InetAddress localAddress, int localPort) throws IOException {
        return closeOnFailure(createSocket(), s -> {
            s.bind(new InetSocketAddress(localAddress, localPort));
            s.connect(new InetSocketAddress(host, port));
        });
    }

    /**
     * {@code host} as the namespace names it: a host name published there ({@link HostTables}: a
     * topology's) stands for its first address, without asking the JDK, whose lookup would run on the
     * caller's thread, outside, and whose failure it would cache for the whole JVM; any other name is
     * the system resolver's.
     */
    private InetSocketAddress remote(String host, int port) throws UnknownHostException {
        List<InetAddress> published = HostTables.none() ? null : HostTables.resolve(ns.inode(), host);
        if (published == null) {
            return new InetSocketAddress(host, port);
        }
        return new InetSocketAddress(
                InetAddress.getByAddress(host, published.get(0).getAddress()), port);
    }

    /** Server sockets whose fd is created inside the same namespace. */
    ServerSocketFactory serverSockets() {
        return new ServerSockets();
    }

    private final class ServerSockets extends ServerSocketFactory {
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
            return closeOnFailure(createServerSocket(), s -> s.bind(local, backlog));
        }
    }

    /** A step on a socket that may fail. */
    interface SocketStep<S> {
        void run(S socket) throws IOException;
    }

    /** Runs {@code step} on a new socket and returns it, or closes it and rethrows when the step fails. */
    static <S extends Closeable> S closeOnFailure(S socket, SocketStep<S> step) throws IOException {
        try {
            step.run(socket);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }
}
