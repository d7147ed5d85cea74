package io.github.netvirt.core;

import io.github.netvirt.core.spec.NamespaceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netns.NetNamespace;
import java.util.List;

/** Makes a namespace (named under {@code /run/netns} when the spec says so) and brings its {@code lo} up. */
record NsAddStep(TopologySpec spec, NamespaceSpec namespace) implements NamespaceStep {

    @Override
    public List<String> commands() {
        return List.of(
                "ip netns add " + TopologySpec.shellWord(spec.prefix() + ns()),
                Iproute2.ip(spec, ns()) + "link set dev lo up");
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
     * Takes ownership of the new namespace {@code ns}: names it under {@code /run/netns} if the spec
     * asks for a name (recorded first in the crash record), then keeps it in {@code res}.
     *
     * @throws RuntimeException if naming fails ({@code ns} is closed)
     */
    void take(NetNamespace ns, Resources res) {
        NamespaceSpec n = namespace;
        if (n.kernelName() != null) {
            try {
                // the record holds the namespace, then the file under /run/netns, before the name exists
                res.record.nsCreated(n.kernelName(), ns.cookie());
                NetNamespace byName = ns.attach(n.kernelName(), f -> res.record.nsFile(n.kernelName(), f));
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
