package io.github.netvirt.core;

import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.tap.TapDevice;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The kernel objects a topology holds: namespace handles (and which of them carry a name under
 * {@code /run/netns}), one netlink handle per namespace, open taps, devices made in the root
 * namespace, and the crash record. {@link #teardown()} releases all of it, for close() and rollback.
 */
final class Resources {
    private static final System.Logger LOG = System.getLogger(Resources.class.getName());

    final Map<String, NetNamespace> hosts = new ConcurrentHashMap<>();
    final Map<String, NetlinkHandle> handles = new ConcurrentHashMap<>();
    /** logical namespace -> kernel name, for namespaces this topology named under /run/netns. */
    final Map<String, String> named = new ConcurrentHashMap<>();
    final Map<String, TapDevice> taps = Collections.synchronizedMap(new LinkedHashMap<>());
    /** Devices created in the root namespace, by name, in creation order. */
    final List<String> rootLinks = Collections.synchronizedList(new ArrayList<>());
    volatile CrashRecord record;

    NetlinkHandle handle(String ns) {
        NetlinkHandle h = handles.get(ns);
        if (h == null) {
            throw new IllegalStateException("no netlink handle for namespace " + TopologySpec.label(ns));
        }
        return h;
    }

    /**
     * Removes everything: taps closed, root-namespace devices deleted (synchronously: their names
     * are free when this returns), handles closed, names under {@code /run/netns} removed and
     * namespace handles released. Devices inside a namespace go with it; nothing outside can see
     * them any more once its name and every handle are gone. Returns the failures (the rest is
     * still done); the crash record is removed only when there were none.
     */
    List<RuntimeException> teardown() {
        List<RuntimeException> errors = new ArrayList<>();
        List<TapDevice> openTaps;
        synchronized (taps) {
            openTaps = new ArrayList<>(taps.values());
            taps.clear();
        }
        for (TapDevice t : openTaps) {
            try {
                t.close();
            } catch (RuntimeException e) {
                errors.add(e);
            }
        }
        List<String> roots;
        synchronized (rootLinks) {
            roots = new ArrayList<>(rootLinks);
            rootLinks.clear();
        }
        if (!roots.isEmpty()) {
            NetlinkHandle root = handles.get(TopologySpec.ROOT);
            if (root != null) {
                deleteRootLinks(root, roots, errors);
            } else {
                try (NetNamespace ns = NetNamespace.root(); NetlinkHandle h = NetlinkHandle.open(ns)) {
                    deleteRootLinks(h, roots, errors);
                } catch (RuntimeException e) {
                    errors.add(e);
                }
            }
        }
        for (NetlinkHandle h : handles.values()) {
            h.close();
        }
        handles.clear();
        for (NetNamespace ns : hosts.values()) {
            ns.close();
        }
        hosts.clear();
        List<String> names = new ArrayList<>(named.values());
        named.clear();
        errors.addAll(deleteNames(names));
        CrashRecord r = record;
        if (r != null) {
            if (errors.isEmpty()) {
                try {
                    r.close();
                    record = null;
                } catch (RuntimeException e) {
                    errors.add(e);
                }
            } else {
                LOG.log(System.Logger.Level.WARNING, "teardown incomplete; crash record {0} kept for cleanup()",
                        r.path());
            }
        }
        return errors;
    }

    /** Deleting more names than this spreads them over {@link #DELETERS} threads, the caller's included. */
    static final int CONCURRENT_DELETE_THRESHOLD = 16;
    static final int DELETERS = 4;

    /**
     * Removes the names under {@code /run/netns}; returns the failures (the other names are still
     * removed). Each removal is an unmount, and the kernel ends every unmount by waiting for an RCU
     * grace period (namespace_unlock -> synchronize_rcu_expedited): one name after another, 1000
     * names wait for 1000 grace periods, while unmounts made at the same time share them. A few
     * threads remove many names in a fraction of the time (KERNEL-NOTES.md).
     */
    static List<RuntimeException> deleteNames(List<String> names) {
        List<RuntimeException> errors = Collections.synchronizedList(new ArrayList<>());
        if (names.size() < CONCURRENT_DELETE_THRESHOLD) {
            deleteFrom(names, new AtomicInteger(), errors);
            return errors;
        }
        AtomicInteger next = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 1; i < DELETERS; i++) { // and this thread
            Thread t = new Thread(() -> deleteFrom(names, next, errors), "netvirt-teardown-" + i);
            t.setDaemon(true);
            try {
                t.start();
            } catch (OutOfMemoryError | IllegalStateException e) {
                break; // no thread to be had: this one deletes whatever the others do not
            }
            threads.add(t);
        }
        deleteFrom(names, next, errors);
        boolean interrupted = false;
        for (Thread t : threads) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // close() returns only when every name is gone
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return errors;
    }

    private static void deleteFrom(List<String> names, AtomicInteger next, List<RuntimeException> errors) {
        for (int i = next.getAndIncrement(); i < names.size(); i = next.getAndIncrement()) {
            try {
                NetNamespace.delete(names.get(i));
            } catch (RuntimeException e) {
                errors.add(e);
            }
        }
    }

    /** Deletes in reverse creation order; ENODEV means a veth end went with its peer. */
    private static void deleteRootLinks(NetlinkHandle h, List<String> names, List<RuntimeException> errors) {
        Collections.reverse(names);
        for (String name : names) {
            try {
                h.linkDel(name);
            } catch (NetlinkException e) {
                if (!e.isNoDevice()) {
                    errors.add(e);
                }
            } catch (RuntimeException e) {
                errors.add(e);
            }
        }
    }
}
