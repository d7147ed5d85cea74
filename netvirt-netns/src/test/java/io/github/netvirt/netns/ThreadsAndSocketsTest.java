package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.JvmThreads;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@RequiresRoot
class ThreadsAndSocketsTest {

    @Test
    void twoNamespacesUsedFromTwoThreadsAtOnceNeverMoveTheCaller() throws Exception {
        try (NetNamespace a = NetNamespace.ephemeral();
                NetNamespace b = NetNamespace.ephemeral()) {
            assertThat(a.id()).isNotEqualTo(b.id());
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = new ArrayList<>();
            for (NetNamespace ns : List.of(a, b)) {
                Thread t = new Thread(() -> {
                    try {
                        String before = NetNamespace.currentThreadId();
                        for (int i = 0; i < 200; i++) {
                            assertThat(ns.call(NetNamespace::currentThreadId)).isEqualTo(ns.id());
                            assertThat(ns.inside(NetNamespace::currentThreadId)).isEqualTo(ns.id());
                            assertThat(NetNamespace.currentThreadId()).isEqualTo(before);
                        }
                    } catch (Throwable e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    }
                });
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
            assertThat(failures).isEmpty();
        }
    }

    @Test
    void manyNamespacesInOneCall() throws Exception {
        List<NetNamespace> all = NetNamespace.ephemeral(5);
        try {
            assertThat(all).hasSize(5);
            assertThat(all.stream().map(NetNamespace::id).distinct()).hasSize(5);
            List<String> seen = NetNamespace.insideEach(all, ns -> NetNamespace.currentThreadId());
            assertThat(seen)
                    .containsExactlyElementsOf(
                            all.stream().map(NetNamespace::id).toList());
            for (NetNamespace ns : all) {
                assertThat(ns.exec("ip", "-o", "link", "show", "lo").stdout()).contains("UP");
            }
            String before = NetNamespace.currentThreadId();
            assertThatThrownBy(() -> NetNamespace.insideEach(all, ns -> {
                        if (ns == all.get(2)) {
                            throw new IllegalStateException("third fails");
                        }
                        return ns.id();
                    }))
                    .hasMessage("third fails");
            assertThat(NetNamespace.currentThreadId()).isEqualTo(before);
            // the switching threads went home after the failure
            try (NetNamespace root = NetNamespace.root()) {
                assertThat(root.inside(NetNamespace::currentThreadId)).isEqualTo(before);
            }
        } finally {
            all.forEach(NetNamespace::close);
        }
    }

    @Test
    void tcpServerInsideIsReachableInsideAndRefusedFromRoot() throws Exception {
        try (NetNamespace a = NetNamespace.ephemeral();
                ServerSocket server =
                        a.serverSocketFactory().createServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            int port = server.getLocalPort();
            Future<String> served = a.submit(() -> {
                try (Socket s = server.accept()) {
                    String got = new DataInputStream(s.getInputStream()).readUTF();
                    new DataOutputStream(s.getOutputStream()).writeUTF("echo:" + got);
                    return got;
                }
            });
            // made by A's factory, connected and used from this (root namespace) thread
            try (Socket client = a.socketFactory().createSocket("127.0.0.1", port)) {
                new DataOutputStream(client.getOutputStream()).writeUTF("hello");
                assertThat(new DataInputStream(client.getInputStream()).readUTF())
                        .isEqualTo("echo:hello");
            }
            assertThat(served.get()).isEqualTo("hello");
            // a client inside A
            String fromInside = a.call(() -> {
                try (Socket c = new Socket()) {
                    c.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                    return "connected";
                }
            });
            assertThat(fromInside).isEqualTo("connected");
            assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void nioChannelsBelongToTheNamespace() throws Exception {
        try (NetNamespace a = NetNamespace.ephemeral();
                ServerSocketChannel server = a.openServerSocketChannel();
                DatagramChannel udpA = a.openDatagramChannel();
                DatagramChannel udpRoot = DatagramChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            try (SocketChannel c = a.openSocketChannel()) {
                c.connect(new InetSocketAddress("127.0.0.1", port));
                try (SocketChannel accepted = server.accept()) {
                    c.write(ByteBuffer.wrap(new byte[] {42}));
                    ByteBuffer in = ByteBuffer.allocate(1);
                    accepted.read(in);
                    assertThat(in.get(0)).isEqualTo((byte) 42);
                }
            }
            // the same UDP port is free in both namespaces at once
            udpA.bind(new InetSocketAddress("127.0.0.1", 0));
            int udpPort = ((InetSocketAddress) udpA.getLocalAddress()).getPort();
            udpRoot.bind(new InetSocketAddress("127.0.0.1", udpPort));
            assertThat(((InetSocketAddress) udpRoot.getLocalAddress()).getPort())
                    .isEqualTo(udpPort);
        }
    }

    @Test
    void processStartedInsideSeesOnlyTheNamespacesInterfaces() throws Exception {
        try (NetNamespace a = NetNamespace.ephemeral()) {
            ExecResult r = a.exec("ip", "-o", "link", "show");
            assertThat(r.exitCode()).isZero();
            assertThat(r.stdout().lines()).hasSize(1).allMatch(l -> l.startsWith("1: lo:"));
            Process p = a.start(new ProcessBuilder("readlink", "/proc/self/ns/net"));
            String ns = new String(p.getInputStream().readAllBytes()).trim();
            assertThat(p.waitFor()).isZero();
            assertThat(ns).isEqualTo(a.id());
            assertThat(NetNamespace.currentThreadId()).isNotEqualTo(a.id());
            assertOnlyResidentThreadsAreOutsideTheRootNamespace();
        }
    }

    /** JDK threads started lazily (process reaper, pools) must never be born inside a namespace. */
    static void assertOnlyResidentThreadsAreOutsideTheRootNamespace() throws Exception {
        for (JvmThreads.Task t : JvmThreads.outsideRootNamespace()) {
            assertThat(t.comm()).as("thread %s is in %s", t.comm(), t.netns()).startsWith("netvirt-ns-");
        }
    }
}
