package io.github.netvirt.junit;

import io.github.netvirt.netns.NetNamespace;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Whether one host reaches another: a TCP connection and one byte each way, with no program from the machine. */
final class Reach {
    private Reach() {}

    /**
     * Listens in {@code to} on {@code address} (one of its addresses), connects from {@code from}, and
     * sends a byte each way.
     *
     * @return true when the byte came back
     */
    static boolean tcp(NetNamespace from, NetNamespace to, String address) throws IOException {
        try (ServerSocket server = to.serverSocketFactory().createServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
            try (Socket client = from.socketFactory().createSocket()) {
                client.connect(new InetSocketAddress(address, server.getLocalPort()), 2000);
                client.setSoTimeout(2000);
                try (Socket accepted = server.accept()) {
                    accepted.setSoTimeout(2000);
                    client.getOutputStream().write(7);
                    InputStream in = accepted.getInputStream();
                    accepted.getOutputStream().write(in.read());
                    return client.getInputStream().read() == 7;
                }
            }
        }
    }
}
