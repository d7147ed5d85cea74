package io.github.netvirt.core;

import io.github.netvirt.core.spec.Adoption;
import io.github.netvirt.core.spec.NamespaceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.Names;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.NetnsException;
import io.github.netvirt.netns.sys.Errno;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Namespaces a topology adopts instead of creating ({@link TopologyBuilder#adopt}): what the
 * builder may ask of them, and the handles of the topology's own that apply opens on them. In an
 * adopted namespace the topology only adds devices (each tagged with its device group in the
 * creating request) and routes through them; it never changes what was there before.
 */
final class Adoptions {
    private Adoptions() {}

    /**
     * Adds what is wrong with adopted namespace {@code n} to {@code problems}; {@code routes} are its
     * routes without those removeRoute(...) took out (which may go with their device in one change).
     */
    static void check(Drafts.Ns n, List<Drafts.Route> routes, List<String> problems) {
        String where = "adopted namespace " + n.name + " (" + n.adoption + ")";
        Adoption a = n.adoption;
        String missing = null;
        if (n.adoptedLive) {
            // the live topology holds it open, whatever became of the name, the process or the caller's handle
        } else if (a.netns() != null) {
            try {
                Names.checkNamespace(a.netns());
                missing = netnsProblem(a.netns());
            } catch (IllegalArgumentException e) {
                missing = "\"" + a.netns() + "\" is not a namespace name";
            }
        } else if (a.pid() != 0) {
            missing = a.exited();
            if (missing == null) {
                missing = pidProblem(a.pid(), Path.of("/proc/" + a.pid() + "/ns/net"));
            }
        } else if (!a.handle().isOpen()) {
            missing = "the handle is closed";
        }
        if (missing != null) {
            problems.add(where + ": " + missing);
        }
        if (n.forwarding) {
            problems.add(
                    where + ": forwarding() is refused: netvirt never changes the sysctls of a namespace it adopts");
        }
        for (Drafts.Route r : routes) {
            // one out of a device the description removed: that removal's problem names it
            if (r.dev() == null || !n.devices.containsKey(r.dev()) && !Removals.removed(n, r.dev())) {
                problems.add(where + ": " + r.text() + ": a route in an adopted namespace needs the dev of a device"
                        + " the topology makes there, so that it goes with that device");
            }
        }
    }

    /**
     * What keeps {@code ip netns} namespace {@code name} from being adopted, or null: no such name,
     * or a file there that holds no network namespace (a plain file left without its bind mount, a
     * directory, a FIFO: the kernel answers ENOTTY to asking its namespace type; another kind of
     * namespace: EINVAL). A refusal to open it (EACCES) is left to apply, which reports it at its
     * first step.
     */
    static String netnsProblem(String name) {
        try {
            NetNamespace.open(name).close();
            return null;
        } catch (NetnsException e) {
            if (e.is(Errno.ENOENT)) {
                return "there is no network namespace named \"" + name + "\"";
            }
            if (e.is(Errno.ENOTTY) || e.is(Errno.EINVAL)) {
                return "/run/netns/" + name + " is not a network namespace ("
                        + (e.is(Errno.ENOTTY)
                                ? "a file with no namespace mounted on it"
                                : "another kind of namespace is mounted on it")
                        + ")";
            }
            return null;
        }
    }

    /**
     * What keeps the namespace of process {@code pid} (its {@code /proc/PID/ns/net}, {@code nsFile})
     * from being adopted, or null. Files.exists would call an unreadable one missing: /proc answers
     * EACCES for a process this one may not ptrace (pid 1 without CAP_SYS_PTRACE, for example).
     */
    static String pidProblem(long pid, Path nsFile) {
        try {
            Files.readAttributes(nsFile, BasicFileAttributes.class);
            return null;
        } catch (NoSuchFileException e) {
            return "there is no process " + pid;
        } catch (AccessDeniedException e) {
            return "cannot open " + nsFile + ": permission denied (EACCES; /proc lets only a process that may"
                    + " ptrace pid " + pid + " open its namespaces: the same user without more capabilities, or"
                    + " CAP_SYS_PTRACE)";
        } catch (IOException e) {
            return "cannot open " + nsFile + ": " + e;
        }
    }

    /**
     * Opens a handle of the topology's own on each adopted namespace of {@code spec}, with its netlink
     * handle, into {@code res}; nothing is changed in the kernel. The same namespace may not be
     * adopted twice, nor the namespace the JVM runs in (that is {@link TopologyBuilder#root()}).
     *
     * @throws IllegalArgumentException if a namespace cannot be adopted (the handles opened so far
     *         are in {@code res}, for its teardown)
     */
    static void open(TopologySpec spec, Resources res) {
        Map<Long, String> cookies = new HashMap<>();
        for (NamespaceSpec n : spec.namespaces()) {
            if (!n.adopted()) {
                continue;
            }
            if (cookies.isEmpty()) {
                // read only to compare an adoption with: reading it enters the namespace (setns, CAP_SYS_ADMIN),
                // which a topology that adopts nothing does not need before its first step
                cookies.put(RecordReach.rootCookie(), "the root namespace (the JVM's own): use root() for it");
            }
            NetNamespace ns;
            try {
                ns = n.adoption().open();
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "cannot adopt " + n.adoption() + " as " + n.name() + ": " + e.getMessage(), e);
            }
            res.hosts.put(n.name(), ns);
            res.adopted.add(n.name());
            String before = cookies.putIfAbsent(ns.cookie(), "adopted as " + n.name() + " already: adopt it once");
            if (before != null) {
                throw new IllegalArgumentException(
                        "cannot adopt " + n.adoption() + " as " + n.name() + ": that namespace is " + before);
            }
            res.handles.put(n.name(), NetlinkHandle.open(ns));
        }
    }

    /** The crash record line's reach for {@code a}: how cleanup finds the namespace again, or "-" if it cannot. */
    static String reach(Adoption a, NetNamespace opened) {
        if (a.netns() != null) {
            return "netns " + RecordFields.escape(a.netns());
        }
        if (a.pid() != 0) {
            return "pid " + a.pid();
        }
        return opened.name().map(nm -> "netns " + RecordFields.escape(nm)).orElse("-");
    }
}
