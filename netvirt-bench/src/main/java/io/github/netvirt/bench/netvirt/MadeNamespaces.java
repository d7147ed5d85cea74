package io.github.netvirt.bench.netvirt;

import io.github.netvirt.netns.NetNamespace;
import java.util.ArrayList;
import java.util.List;

/** The named namespaces one netvirt-netlink run made, so that down() and cleanup() delete exactly those. */
final class MadeNamespaces {
    private final List<NetNamespace> made = new ArrayList<>();

    List<NetNamespace> create(List<String> names) {
        List<NetNamespace> all = NetNamespace.create(names);
        synchronized (made) {
            made.addAll(all);
        }
        return all;
    }

    /** Deletes every namespace made; the first failure is thrown. */
    void deleteAll() {
        synchronized (made) {
            for (NetNamespace ns : made) {
                ns.delete();
            }
            made.clear();
        }
    }

    /** Deletes every namespace made, reporting failures and going on (the cleanup after a failed run). */
    void deleteAllQuietly() {
        synchronized (made) {
            for (NetNamespace ns : made) {
                try {
                    ns.delete();
                } catch (RuntimeException e) {
                    System.err.println("# cleanup " + ns + ": " + e);
                }
            }
            made.clear();
        }
    }
}
