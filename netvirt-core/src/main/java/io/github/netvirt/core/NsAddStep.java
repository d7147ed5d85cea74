package io.github.netvirt.core;

import io.github.netvirt.core.spec.NamespaceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.ReservedName;
import io.github.netvirt.netns.internal.EachOf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Makes a namespace (named under {@code /run/netns} when the spec says so) and brings its {@code lo}
 * up. With {@code noDad} (a topology with IPv6 addresses or routes) its devices run no duplicate
 * address detection ({@code net.ipv6.conf.default.accept_dad=0}, set before the first device is
 * made): their link-local addresses are usable at once instead of {@code tentative} for 1-2 s.
 */
record NsAddStep(TopologySpec spec, NamespaceSpec namespace, boolean noDad) implements NamespaceStep {

    private static final byte[] ZERO = {'0', '\n'};
    /** The sysctl, under {@code /proc/sys/net}, that turns DAD off for the devices made after. */
    static final String ACCEPT_DAD = "ipv6/conf/default/accept_dad";

    private static final Path DEFAULT_ACCEPT_DAD = Path.of("/proc/sys/net", ACCEPT_DAD);

    @Override
    public List<String> commands() {
        String add = "ip netns add " + TopologySpec.shellWord(spec.prefix() + ns());
        String lo = Iproute2.ip(spec, ns()) + "link set dev lo up";
        return noDad ? List.of(add, Iproute2.sysctl(spec, ns(), "0", List.of(ACCEPT_DAD)), lo) : List.of(add, lo);
    }

    /**
     * Namespaces are made together, several per system call ({@link Namespaces#provision}); each is
     * then handed to {@link #take}, this step's kernel side.
     */
    @Override
    public void carryOut(Kernel k) {
        throw new IllegalStateException("namespaces are made together by Namespaces.provision: " + subject());
    }

    /**
     * Takes ownership of the new namespace {@code ns}, on the switching thread that made it and is
     * still inside: turns its DAD off first when {@link #noDad}, then names it under
     * {@code /run/netns} if the spec asks for a name (recorded first in the crash record), mounting it
     * on the name {@link Namespaces#provision} took for it, then keeps it in {@code res}.
     *
     * @throws RuntimeException if the sysctl or naming fails ({@code ns} is closed)
     */
    void take(NetNamespace ns, Resources res) {
        NamespaceSpec n = namespace;
        if (noDad) {
            try {
                // on the switching thread, which is inside: /proc/sys/net shows the thread's namespace
                Files.write(DEFAULT_ACCEPT_DAD, ZERO);
            } catch (IOException | RuntimeException e) {
                ns.close();
                throw new IllegalStateException("cannot write " + DEFAULT_ACCEPT_DAD + " in " + ns, e);
            }
        }
        if (n.kernelName() != null) {
            try {
                // the record holds the namespace before its name holds it
                res.record.nsCreated(n.kernelName(), ns.cookie());
                ReservedName name = res.reserved.remove(n.name());
                NetNamespace byName;
                try {
                    byName = ns.attach(name);
                } catch (RuntimeException e) {
                    EachOf.closeAfter(e, name); // given back, if the failed attach did not
                    try {
                        res.noteGivenBack(name, ns.cookie());
                    } catch (RuntimeException other) {
                        e.addSuppressed(other); // still listed: cleanup finds the name does not hold it
                    }
                    throw e;
                }
                ns.close();
                ns = byName;
                res.named.put(n.name(), n.kernelName());
            } catch (RuntimeException e) {
                ns.close();
                throw e;
            }
        }
        res.hosts.put(n.name(), ns);
    }
}
