package io.github.netvirt.faults.testing;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.TestNames;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Test fixture: {@code n} host namespaces, each with {@code eth0} = 10.77.0.(i+1)/24, plugged into
 * a bridge in a switch namespace. Built with iproute2 (tests only): the module under test must not
 * depend on how the network was made. Named namespaces with unique {@code fj-} names, deleted on close.
 */
public final class Lan implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    public final String switchName = TestNames.unique("fj");
    public final List<String> names = new ArrayList<>();
    public final List<NetNamespace> hosts = new ArrayList<>();
    private final List<NetNamespace> opened = new ArrayList<>();

    private final int n;

    /** Builds the LAN now; {@link #close()} removes it. */
    public Lan(int n) {
        this.n = n;
        build();
    }

    private Lan(int n, boolean unused) {
        this.n = n;
    }

    /**
     * A LAN built before a test class's tests and removed after them:
     * {@code @RegisterExtension static final Lan lan = Lan.perClass(3);}.
     */
    public static Lan perClass(int n) {
        return new Lan(n, false);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        build();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    private void build() {
        try {
            opened.add(NetNamespace.create(switchName));
            Ip.ok("-n", switchName, "link", "add", "br0", "type", "bridge");
            Ip.ok("-n", switchName, "link", "set", "br0", "up");
            for (int i = 0; i < n; i++) {
                String name = TestNames.unique("fj");
                NetNamespace ns = NetNamespace.create(name);
                opened.add(ns);
                names.add(name);
                hosts.add(ns);
                Ip.ok("-n", switchName, "link", "add", "p" + i, "type", "veth", "peer", "name", "eth0", "netns", name);
                Ip.ok("-n", switchName, "link", "set", "p" + i, "master", "br0", "up");
                Ip.ok("-n", name, "addr", "add", "10.77.0." + (i + 1) + "/24", "dev", "eth0");
                Ip.ok("-n", name, "link", "set", "eth0", "up");
            }
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    public NetNamespace host(int i) {
        return hosts.get(i);
    }

    public static InetAddress address(int i) {
        try {
            return InetAddress.getByName("10.77.0." + (i + 1));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public Map<String, NetNamespace> byName() {
        Map<String, NetNamespace> m = new LinkedHashMap<>();
        for (int i = 0; i < hosts.size(); i++) {
            m.put(names.get(i), hosts.get(i));
        }
        return m;
    }

    @Override
    public void close() {
        for (NetNamespace ns : opened) {
            String name = ns.name().orElseThrow();
            ns.close();
            if (NetNamespace.exists(name)) {
                NetNamespace.delete(name);
            }
        }
        opened.clear();
    }
}
