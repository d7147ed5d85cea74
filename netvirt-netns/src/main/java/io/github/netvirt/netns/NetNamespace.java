package io.github.netvirt.netns;

import io.github.netvirt.netns.internal.Await;
import io.github.netvirt.netns.internal.EachOf;
import io.github.netvirt.netns.internal.LibC;
import io.github.netvirt.netns.internal.ProcPids;
import io.github.netvirt.netns.internal.Sys;
import io.github.netvirt.netns.internal.Uninterrupted;
import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.sys.SyscallException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;

/**
 * A Linux network namespace, held open by a file descriptor.
 *
 * <p>Named namespaces live under {@code /run/netns} exactly as {@code ip netns add} lays them out,
 * so {@code ip netns list} and {@code ip -n NAME} see them and they outlive the JVM until
 * {@link #delete()}. Ephemeral ones have no name: the kernel destroys them, with every device inside,
 * when the last handle is closed or the JVM exits, however it exits.
 *
 * <p>Code runs inside with {@link #call}/{@link #run}/{@link #submit} on platform threads that live
 * in the namespace; the caller's thread never changes namespace. Sockets from {@link #socketFactory()},
 * {@link #serverSocketFactory()} and the channel openers belong to the namespace whichever thread
 * uses them later. Processes started with {@link #start} belong to this handle: {@link #close()} ends
 * them, and they die with the JVM. Handles are thread-safe; {@link #close()} ends the processes and
 * releases the fd and every thread (unless the handle is lent out: {@link Lendable}): a task still
 * running inside ({@link #call}, {@link #run}, {@link #submit}) is interrupted, and close waits up to
 * 5 s for it to end (a task that ignores the interrupt keeps the namespace alive and is logged). A
 * task that closes the namespace it runs in is neither interrupted nor waited for, as a thread cannot
 * end itself: it goes on inside, and its thread keeps the namespace alive until it returns.
 *
 * <p>Every use of the namespace's fd that is pending when {@link #close()} is called (a task handed
 * to a thread that has not entered yet, a socket being created, a process not yet inside, a
 * {@link #hold()}) keeps the fd open until it is done, so a closed handle's fd number is never reused
 * under a pending use; a use that starts after {@code close()} throws {@link IllegalStateException}.
 * A handle dropped without {@code close()} has its fd closed once it is garbage-collected (with its
 * threads ended: 5 s after their last task); its processes are left running.
 */
public final class NetNamespace extends Lendable {
    private static final long NS_GET_NSTYPE = 0xb703;
    private static final Sandbox SANDBOX = Sandbox.current(); // logs once if the JVM runs in a sandbox

    private final String name;
    /** What the namespace stands for, e.g. a topology's host name; null if nothing. */
    private final String label;

    private final int fd;
    /** Made by this JVM (create, ephemeral, or a name given to one): close may end this JVM's processes left inside. */
    private final boolean made;
    /** A handle from {@link #root()}, or reopened from one: what {@link #toString} calls {@code root}. */
    private boolean root;

    private final Residents residents;
    private final Processes processes;
    /** One for the handle itself, one per pending use; the fd is closed when it drops to 0. */
    private final AtomicInteger refs = new AtomicInteger(1);
    /**
     * Closes the fd: when {@link #refs} drops to 0, or once the handle is collected, dropped
     * without close() (its fd would hold the namespace for the JVM's life). Every pending use holds
     * the handle, so it is never collected under one.
     */
    private final Cleaner.Cleanable fdCloser;

    private final AtomicBoolean closed = new AtomicBoolean();
    /** SO_NETNS_COOKIE, 0 until known (the kernel's cookies start at 1). */
    private volatile long cookie;
    /** The nsfs inode, 0 until first asked. */
    private volatile long inode;
    /** What {@link #beforeClose} registered and close has not run yet; null until the first (guarded by this). */
    private List<Runnable> beforeClose;

    private NetNamespace(String name, String label, int fd, boolean made) {
        this.name = name;
        this.label = label;
        this.fd = fd;
        this.made = made;
        this.residents = new Residents(this);
        this.processes = new Processes(this);
        this.fdCloser = CLEANER.register(this, new FdCloser(fd));
    }

    private static final Cleaner CLEANER = Cleaner.create(r -> Switcher.jvmThread(r, "netvirt-netns-cleaner"));

    /** Closes a handle's fd: holds the fd, not the handle. */
    private record FdCloser(int fd) implements Runnable {
        @Override
        public void run() {
            Sys.closeQuietly(fd);
        }
    }

    private NetNamespace(String name, String label, int fd, boolean made, long cookie) {
        this(name, label, fd, made);
        this.cookie = cookie;
    }

    // ---------------------------------------------------------------- factories

    /**
     * Creates a named namespace as {@code ip netns add NAME} does, with {@code lo} up.
     *
     * @throws IllegalArgumentException for an invalid name (before anything is touched)
     * @throws NetnsException EEXIST if the name is taken, EPERM without privileges
     * @throws CancellationException if the caller was interrupted before the namespace was made
     *     (nothing is made; the interrupt status is set)
     */
    public static NetNamespace create(String name) {
        return create(List.of(Names.checkNamespace(name))).get(0);
    }

    /**
     * Creates one named namespace per name, returned in order, each as {@link #create(String)} does: from two
     * on, on two switching threads at once, each taking the next until none is left, in one hand-off
     * each (as {@link #ephemeral(int)}). All or nothing: if one cannot be created, those already made are deleted.
     * The names are taken first, one after another in name order, before any namespace is made: of
     * callers in any process taking some of the same names at once, one gets all it asked for of them
     * and each other fails holding none of them.
     *
     * @throws IllegalArgumentException for an invalid name or a name given twice (before anything is
     *     touched)
     * @throws NetnsException EEXIST if a name is taken (the first taken in name order; nothing is made),
     *     EPERM without privileges
     * @throws CancellationException if the caller was interrupted before the namespaces were made
     *     (nothing is made; the interrupt status is set)
     */
    public static List<NetNamespace> create(List<String> names) {
        List<String> copy = List.copyOf(names);
        Set<String> seen = new HashSet<>();
        for (String name : copy) {
            if (!seen.add(Names.checkNamespace(name))) {
                throw new IllegalArgumentException("network namespace \"" + name + "\" is named twice");
            }
        }
        ReservedName[] reserved = reserveInNameOrder(copy);
        try {
            return makeEach(copy.size(), i -> namedHere(reserved[i]), ns -> ns);
        } catch (NetnsException e) {
            giveBack(reserved, e);
            throw e; // names the namespace already
        } catch (Exception e) {
            giveBack(reserved, e);
            throw failure(
                    copy.size() == 1
                            ? "cannot create network namespace \"" + copy.get(0) + "\""
                            : "cannot create " + copy.size() + " network namespaces",
                    e);
        }
    }

    /**
     * Takes {@code names} one after another in name order, before any namespace is made, and returns
     * them in the order of {@code names}. Of callers (in any process) taking some of the same names at
     * once, the first to take the lowest one takes all it wants of them: each other fails at the first
     * it finds taken and holds none after it. A name taken already fails the call (EEXIST, the first
     * in name order) with the names taken so far given back.
     */
    private static ReservedName[] reserveInNameOrder(List<String> names) {
        Integer[] order = new Integer[names.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> names.get(a).compareTo(names.get(b)));
        ReservedName[] reserved = new ReservedName[names.size()];
        for (int k = 0; k < order.length; k++) {
            try {
                reserved[order[k]] = reserveName(names.get(order[k]), f -> {}); // EEXIST: "already exists"
            } catch (RuntimeException e) {
                giveBack(reserved, e);
                throw e;
            }
        }
        return reserved;
    }

    /** Gives back the names of {@code reserved} no namespace was mounted on, what that throws suppressed in {@code failure}. */
    private static void giveBack(ReservedName[] reserved, Exception failure) {
        EachOf.closeAfter(failure, Arrays.asList(reserved));
    }

    /**
     * A handle on the namespace the calling switching thread has just made, mounted on the name
     * {@code name}, which {@link #reserveInNameOrder} took.
     */
    private static NetNamespace namedHere(ReservedName name) {
        try {
            name.mount("/proc/thread-self/ns/net");
        } catch (RuntimeException e) {
            throw e instanceof SyscallException se
                    ? NetnsException.from("cannot create network namespace \"" + name.name() + "\"", se)
                    : e;
        }
        try {
            return madeHere(name.name(), null);
        } catch (RuntimeException e) {
            RunNetns.remove(RunNetns.file(name.name())); // mounted just now: ours
            throw e;
        }
    }

    /**
     * Takes the name {@code name} under {@code /run/netns} for a namespace to be mounted on it later
     * ({@link #attach(ReservedName)}), as the first half of {@code ip netns add} or {@code attach}:
     * for a caller that takes several names in an order of its own, or records what it makes before
     * it exists (netvirt-core's crash records). {@code beforeNamed} receives the identity (inode
     * number and birth time, on {@code /run/netns}'s file system) of the file that will carry the
     * name, before the name exists: the file is made unnamed, then linked to the name. A process
     * killed on the way leaves nothing, or that empty file under the name. Where {@code /run/netns}'s
     * file system makes no unnamed file (an overlayfs before Linux 6.6), the file is made under a name
     * of this process's ({@link #takingFiles}), linked to {@code name}, then unlinked from it; a kill
     * on the way may leave it, and the first name a later JVM takes this way removes it.
     *
     * @throws IllegalArgumentException for an invalid name (before anything is touched)
     * @throws NetnsException EEXIST if the name is taken
     * @throws RuntimeException what {@code beforeNamed} throws, before the name exists
     */
    public static ReservedName reserveName(String name, Consumer<NameFile> beforeNamed) {
        Names.checkNamespace(name);
        Objects.requireNonNull(beforeNamed, "beforeNamed");
        return new ReservedName(name, RunNetns.take(name, beforeNamed));
    }

    /**
     * Gives this namespace the name {@code name} under {@code /run/netns}, as {@code ip netns attach}
     * does, and returns a named handle on it, with this handle's {@link #label()} (this handle stays
     * open and unnamed).
     *
     * @throws NetnsException EEXIST if the name is taken
     */
    public NetNamespace attach(String name) {
        try (ReservedName r = reserveName(name, f -> {})) {
            return attach(r);
        }
    }

    /**
     * Mounts this namespace on {@code name}, taken by {@link #reserveName}, and returns a handle named
     * by it, with this handle's {@link #label()} (this handle stays open and unnamed). A failure gives
     * the name back.
     *
     * @throws IllegalStateException if a namespace was mounted on {@code name} already, or it was given back
     * @throws NetnsException if the mount fails
     */
    public NetNamespace attach(ReservedName name) {
        try (Hold h = hold()) {
            try {
                name.mount("/proc/self/fd/" + h.fd());
            } catch (SyscallException e) {
                throw failure("cannot name a network namespace \"" + name.name() + "\"", e);
            }
            try {
                return new NetNamespace(name.name(), label, Sys.dup(h.fd()), made, cookie);
            } catch (RuntimeException e) {
                RunNetns.remove(RunNetns.file(name.name())); // mounted just now: ours
                throw e;
            }
        }
    }

    /**
     * The file an earlier netvirt made for the namespace with cookie {@code cookie} before it linked it
     * to the name: {@code /run/netns/.netvirt-attach-COOKIE}, which a crash record of it may leave
     * ({@link #reserveName} makes the file unnamed).
     */
    public static Path attachingFile(long cookie) {
        return Path.of(RunNetns.attaching(cookie));
    }

    /**
     * The files that process {@code pid} (as {@code /proc} numbers it) started at {@code startTime}
     * (field 22 of {@code /proc/PID/stat}) made under {@code /run/netns} to take a name, where that
     * directory's file system makes no unnamed file ({@link #reserveName}), and had not removed yet:
     * what a kill while it took a name leaves. Each is empty; {@link #removeTakingFiles} removes them.
     */
    public static List<Path> takingFiles(long pid, String startTime) {
        return RunNetns.stagingFiles(pid, startTime);
    }

    /**
     * Removes the {@link #takingFiles} of process {@code pid} started at {@code startTime} that a kill
     * left: none while that process runs, and none someone holds locked, as their maker does while it
     * takes a name (a maker in a pid namespace {@code /proc} numbers otherwise looks dead). Returns
     * those it removed.
     *
     * @throws IllegalArgumentException if {@code pid} is not positive or {@code startTime} not a number
     * @throws java.io.UncheckedIOException if {@code /run/netns} cannot be read
     */
    public static List<Path> removeTakingFiles(long pid, String startTime) {
        return RunNetns.removeStaging(pid, startTime);
    }

    /**
     * The file that carries the name {@code name}: {@code /run/netns/NAME}.
     *
     * @throws IllegalArgumentException for an invalid name
     */
    public static Path nameFile(String name) {
        return RunNetns.DIR.resolve(Names.checkNamespace(name));
    }

    /** Creates an unnamed namespace, with {@code lo} up, that lives only as long as this handle. */
    public static NetNamespace ephemeral() {
        return ephemeral(1).get(0);
    }

    /**
     * Creates {@code count} unnamed namespaces, with {@code lo} up: from two on, on two switching
     * threads at once (the kernel's namespace set-up then runs on two CPUs), each taking the next until
     * none is left (one that gets its CPU late makes fewer), in one hand-off each (the thread unshares
     * once per namespace). All or nothing: if one cannot be
     * created, those already made are closed. A caller interrupted before they were made gets a
     * {@link CancellationException} with its interrupt status set.
     */
    public static List<NetNamespace> ephemeral(int count) {
        try {
            return ephemeral(count, ns -> ns);
        } catch (Exception e) {
            throw cannotCreate(count, e);
        }
    }

    /**
     * As {@link #ephemeral(int)}, running {@code each} on the switching thread inside each new
     * namespace as soon as it exists, and returning what it returned, in order. {@code each} runs
     * on two threads at once from two namespaces on: it must be thread-safe. netvirt calls that
     * {@code each} makes for that namespace ({@link #inside}, {@link #insideEach} of it alone, and what
     * is built on them, such as opening a netlink handle there) run on the spot instead of handing off
     * again. {@code each} must not block on other threads' netvirt calls. The new namespaces are the
     * caller's (through what {@code each} returns): close them when done. All or nothing: if a
     * namespace cannot be made or {@code each} throws, the namespaces made and the results that are
     * {@link AutoCloseable} are closed, and the failure is thrown.
     *
     * @throws NetnsException if a namespace cannot be created (EPERM without privileges)
     * @throws Exception what {@code each} throws
     */
    public static <T> List<T> ephemeral(int count, InsideTask<T> each) throws Exception {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        return ephemeral(count, null, each);
    }

    /**
     * As {@link #ephemeral(int, InsideTask)}, one namespace per label, each handle {@link #label()
     * labelled} with its own from the start (what a topology's hosts are: {@code toString} then
     * names the host). {@code each} may run on the namespaces in any order: tell them apart by label.
     *
     * @throws NullPointerException if a label is null (before anything is made)
     */
    public static <T> List<T> ephemeral(List<String> labels, InsideTask<T> each) throws Exception {
        List<String> copy = List.copyOf(labels);
        return ephemeral(copy.size(), copy, each);
    }

    /**
     * Begins one unnamed namespace per label, each labelled as {@link #ephemeral(List, InsideTask)} labels
     * them, without waiting and before the work to be done in them is known: the caller goes on with work of its own
     * (planning what goes into them) while the kernel makes them, then gives the work to {@link
     * NamespacesAhead#run} (or gives them up with {@link NamespacesAhead#close}: they are closed). Until
     * then the (at most two) switching threads that began them wait inside them, and give up waiting
     * when a switching thread is wanted for other work and none is free ({@code run} then makes them
     * the plain way): no call waits on them but another such caller's still planning.
     *
     * @throws NullPointerException if a label is null (before anything is begun)
     */
    public static NamespacesAhead beginEphemeral(List<String> labels) {
        return NamespacesAhead.begin(List.copyOf(labels));
    }

    /** {@link #ephemeral(int, InsideTask)}, labelled by {@code labels} (null: unlabelled). */
    private static <T> List<T> ephemeral(int count, List<String> labels, InsideTask<T> each) throws Exception {
        try {
            return makeEach(count, i -> madeHere(null, labels == null ? null : labels.get(i)), each);
        } catch (SyscallException e) {
            throw cannotCreate(count, e);
        }
    }

    /**
     * Makes {@code count} namespaces, from two on with two switching threads at once, each taking the
     * next namespace no thread has taken until none is left; each is made by {@code here} (given its
     * index) on the switching thread that has just unshared into it, and what {@code each} returns for
     * it is returned, in order. All or nothing: on a failure the results that are {@link AutoCloseable}
     * are closed, the namespaces made are deleted (named) or closed, and the failure is thrown.
     */
    private static <T> List<T> makeEach(int count, IntFunction<NetNamespace> here, InsideTask<T> each)
            throws Exception {
        if (count == 0) {
            return List.of(); // no hand-off, no unshare for nothing
        }
        List<NetNamespace> made = Collections.synchronizedList(new ArrayList<>(count));
        Object[] results = new Object[count];
        AtomicInteger next = new AtomicInteger();
        Callable<Void> part = () -> takeEach(next, count, here, each, made, results);
        try {
            if (count == 1) {
                Switcher.unsharing(part);
            } else {
                Switcher.unsharing(part, part, () -> next.get() < count);
            }
        } catch (Throwable e) {
            undoMade(e, made, results);
            throw e;
        }
        @SuppressWarnings("unchecked")
        List<T> all = (List<T>) Collections.unmodifiableList(Arrays.asList(results));
        return all;
    }

    /**
     * After {@code failure}: deletes (named) or closes the namespaces {@code made} and closes the
     * {@code results} that are {@link AutoCloseable}, what they throw suppressed in {@code failure}.
     */
    static void undoMade(Throwable failure, List<NetNamespace> made, Object[] results) {
        for (NetNamespace ns : made) { // named ones first: a name is removed through its open handle
            if (ns.name != null) {
                try {
                    ns.delete();
                } catch (RuntimeException other) {
                    failure.addSuppressed(other);
                }
            }
        }
        EachOf.closeAfter(failure, Arrays.asList(results));
        made.forEach(NetNamespace::close);
    }

    /**
     * On the calling switching thread, takes the next of {@code count} namespaces no thread has taken
     * ({@code next}) until none is left: unshares, makes it by {@code here} into {@code made}, and puts
     * what {@code each} returns for it into {@code results}. On a failure no thread takes another.
     */
    static <T> Void takeEach(
            AtomicInteger next,
            int count,
            IntFunction<NetNamespace> here,
            InsideTask<T> each,
            List<NetNamespace> made,
            Object[] results)
            throws Exception {
        try {
            int i;
            while ((i = next.getAndIncrement()) < count) {
                Sys.unshareNet();
                NetNamespace ns = here.apply(i);
                made.add(ns);
                Switcher.arrived(ns);
                results[i] = each.call(ns);
            }
            return null;
        } catch (Throwable e) {
            next.set(count); // what was made is undone: no thread makes more
            throw e;
        }
    }

    /**
     * A handle on the namespace the calling switching thread has just made (named {@code name}, or
     * null; labelled {@code label}, or null), with {@code lo} brought up there and its cookie read.
     */
    static NetNamespace madeHere(String name, String label) {
        int nsFd = Sys.open("/proc/thread-self/ns/net", LibC.O_RDONLY);
        try {
            return new NetNamespace(name, label, nsFd, true, Loopback.upAndCookie());
        } catch (RuntimeException e) {
            Sys.closeQuietly(nsFd);
            throw e;
        }
    }

    /**
     * The failure to make {@code count} namespaces (an unshare or lo's up failed with {@code e}). Not
     * "ephemeral": netvirt-core makes a named topology's namespaces this way too, and names them after.
     */
    static RuntimeException cannotCreate(int count, Exception e) {
        return failure(
                count == 1 ? "cannot create a network namespace" : "cannot create " + count + " network namespaces", e);
    }

    /**
     * Opens the named namespace {@code name} (one made by netvirt or by {@code ip netns add}). Any
     * other file at the name, a FIFO included, is refused at once (without waiting for a writer).
     *
     * @throws NetnsException ENOENT if there is no such name; ENOTTY or EINVAL if the name holds no
     *     network namespace
     */
    public static NetNamespace open(String name) {
        Names.checkNamespace(name);
        String quoted = "\"" + name + "\"";
        return openPath(
                RunNetns.file(name), name, null, "no network namespace named " + quoted, "network namespace " + quoted);
    }

    /**
     * Opens the network namespace of process {@code pid} ({@code /proc/PID/ns/net}): how a container
     * started by Docker, Podman or Testcontainers is reached. The handle keeps the namespace alive
     * after the process ends; it has no name.
     *
     * @throws IllegalArgumentException if {@code pid} is not positive
     * @throws NetnsException ENOENT if there is no process {@code pid} (any more)
     */
    public static NetNamespace ofProcess(long pid) {
        if (pid <= 0) {
            throw new IllegalArgumentException("not a process id: " + pid);
        }
        return openPath(
                "/proc/" + pid + "/ns/net", null, null, "no process " + pid, "the network namespace of process " + pid);
    }

    /**
     * A new, independent handle on this handle's namespace (with the same name and label, if any): closing one
     * does not affect the other. Thread-safe.
     *
     * @throws IllegalStateException if this handle is closed
     */
    public NetNamespace reopen() {
        try (Hold h = hold()) {
            // opening the fd's /proc entry opens the namespace itself again, not a copy of the fd
            NetNamespace copy =
                    openPath("/proc/self/fd/" + h.fd(), name, label, "no " + this, "the network namespace of " + this);
            copy.root = root;
            return copy;
        }
    }

    /**
     * A handle named {@code name} (null: unnamed) and labelled {@code label} (null: not) on the
     * namespace file at {@code path}. Failures say {@code missing} when there is no such file, else
     * that {@code what} cannot be opened.
     */
    private static NetNamespace openPath(String path, String name, String label, String missing, String what) {
        int nsFd;
        try {
            // O_NONBLOCK: a FIFO put at a name would block a plain open until someone writes to it;
            // it is refused below as not a namespace, as any other file is
            nsFd = Sys.open(path, LibC.O_RDONLY | LibC.O_NONBLOCK);
        } catch (SyscallException e) {
            throw NetnsException.from(e.is(Errno.ENOENT) ? missing : "cannot open " + what, e);
        }
        int type = LibC.ioctl(nsFd, NS_GET_NSTYPE, 0L);
        if (type != LibC.CLONE_NEWNET) {
            int errno = type < 0 ? LibC.errno() : Errno.EINVAL.code();
            Sys.closeQuietly(nsFd);
            // a plain file left under /run/netns without its bind mount answers ENOTTY
            throw new NetnsException(
                    path + (type < 0 ? " is not a mounted network namespace" : " is not a network namespace"), errno);
        }
        return new NetNamespace(name, label, nsFd, false);
    }

    /** A new handle on the namespace the JVM started in. */
    public static NetNamespace root() {
        NetNamespace ns = new NetNamespace(null, null, Sys.open("/proc/self/ns/net", LibC.O_RDONLY), false);
        ns.root = true;
        return ns;
    }

    /** The names under {@code /run/netns}, sorted: what {@code ip netns list} shows. */
    public static List<String> list() {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(RunNetns.DIR)) {
            for (Path p : dir) {
                names.add(p.getFileName().toString());
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Collections.sort(names);
        return names;
    }

    /**
     * What {@code /run/netns/NAME} holds now compared with the namespace whose cookie is
     * {@code cookie}, one that may have died meanwhile (a cookie is never reused, unlike an inode).
     * Opens the name to read its cookie (without waiting: a FIFO there is {@link NameState#NOT_A_NAMESPACE}).
     *
     * @throws IllegalArgumentException for an invalid name
     */
    public static NameState nameState(String name, long cookie) {
        return RunNetns.compareCookie(Names.checkNamespace(name), cookie);
    }

    /**
     * Removes the name {@code name} (as {@code ip netns del}) if it holds the namespace whose cookie
     * is {@code cookie}, and returns what it held: {@link NameState#SAME} when it removed it. As
     * {@link #deleteName(String)}, the namespace compared is the one unmounted.
     *
     * @throws IllegalArgumentException for an invalid name
     * @throws NetnsException if the kernel refuses the unlink, or to read a cookie
     */
    public static NameState deleteName(String name, long cookie) {
        Names.checkNamespace(name);
        return RunNetns.removeIf(name, byCookie(name, cookie));
    }

    /** The proof that the namespace a name was opened to is the one whose cookie is {@code cookie}. */
    static RunNetns.Proof byCookie(String name, long cookie) {
        return fd -> {
            if (LibC.ioctl(fd, NS_GET_NSTYPE, 0L) != LibC.CLONE_NEWNET) {
                return NameState.NOT_A_NAMESPACE;
            }
            try (NetNamespace opened = new NetNamespace(name, null, Sys.dup(fd), false)) {
                return opened.cookie() == cookie ? NameState.SAME : NameState.OTHER;
            }
        };
    }

    /**
     * Whether the name {@code /run/netns/NAME} is the file {@code made}: its directory entry holds
     * {@code made}'s inode number, which a namespace mounted on the name does not hide (a {@code stat}
     * of the name reports the namespace's). The birth time is hidden under a mount, and a file system
     * may give a freed inode number to the next file made: so this tells a name from one given to
     * another file (as {@code ip netns attach} gives it) unless that file took the same number. False
     * when there is no such name, or this machine's architecture is not known to netvirt.
     *
     * @throws IllegalArgumentException for an invalid name
     * @throws UncheckedIOException if {@code /run/netns} cannot be read
     */
    public static boolean isNameFile(String name, NameFile made) {
        return RunNetns.isNameFile(Names.checkNamespace(name), Objects.requireNonNull(made, "made"));
    }

    /**
     * Removes {@code file}, a file directly under {@code /run/netns}, if it is the empty file
     * {@code made} (the same inode number and the same birth time: a birth time of 0, unknown,
     * proves nothing and the file is left) with nothing mounted on it: what a process killed while it
     * named ({@link #reserveName}) or un-named a namespace leaves. Anything else is left alone.
     *
     * @return whether it removed the file
     * @throws IllegalArgumentException if {@code file} is not directly under {@code /run/netns}
     * @throws NetnsException if the kernel refuses the unlink
     */
    public static boolean removeLeftover(Path file, NameFile made) {
        return RunNetns.removeLeftover(file, Objects.requireNonNull(made, "made"));
    }

    /**
     * Whether {@code file}, a file directly under {@code /run/netns}, is the empty file {@code made}
     * with nothing mounted on it: what {@link #removeLeftover(Path, NameFile)} would remove.
     *
     * @throws IllegalArgumentException if {@code file} is not directly under {@code /run/netns}
     */
    public static boolean isLeftover(Path file, NameFile made) {
        return RunNetns.isLeftover(file, Objects.requireNonNull(made, "made"));
    }

    /**
     * Removes {@code file}, a file directly under {@code /run/netns}, if it is an empty file (any)
     * with nothing mounted on it: for a file whose name alone proves it the caller's, as
     * {@link #attachingFile(long)}'s does.
     *
     * @return whether it removed the file
     * @throws IllegalArgumentException if {@code file} is not directly under {@code /run/netns}
     * @throws NetnsException if the kernel refuses the unlink
     */
    public static boolean removeLeftover(Path file) {
        return RunNetns.removeLeftover(file, null);
    }

    public static boolean exists(String name) {
        Names.checkNamespace(name);
        return Files.exists(RunNetns.DIR.resolve(name));
    }

    /**
     * Removes the named namespace {@code name} as {@code ip netns del} does. Its devices go away
     * asynchronously, once nothing else (an fd, a thread, a process) holds the namespace. A symbolic
     * link put at the name is removed itself: what it leads to is not unmounted.
     *
     * @throws NetnsException ENOENT if there is no such namespace
     */
    public static void delete(String name) {
        Names.checkNamespace(name);
        if (!RunNetns.remove(RunNetns.file(name))) {
            throw new NetnsException("no network namespace named \"" + name + "\"", Errno.ENOENT.code());
        }
    }

    // ---------------------------------------------------------------- the handle

    /**
     * Removes the name {@code name} (as {@code ip netns del}) if it holds this handle's namespace, and
     * returns what it held: {@link NameState#SAME} when it removed it. The name is opened once, for
     * both the comparison and the unmount: a name someone else removes and takes again in between
     * keeps their namespace. A symbolic link put at the name is removed itself if it leads to this
     * namespace, and what it leads to is not unmounted.
     *
     * @throws IllegalArgumentException for an invalid name
     * @throws IllegalStateException if this handle is closed
     * @throws NetnsException if the kernel refuses the unlink
     */
    public NameState deleteName(String name) {
        Names.checkNamespace(name);
        try (Hold h = hold()) {
            return RunNetns.removeIf(name, RunNetns.held(h.fd()));
        }
    }

    /**
     * What {@code /run/netns/NAME} holds now compared with this handle's namespace: compared by nsfs
     * inode while this handle holds the namespace open (so its inode cannot have gone to another
     * namespace), without entering it.
     *
     * @throws IllegalArgumentException for an invalid name
     * @throws IllegalStateException if this handle is closed
     */
    public NameState nameState(String name) {
        Names.checkNamespace(name);
        try (Hold h = hold()) {
            return RunNetns.compareHeld(name, h.fd());
        }
    }

    /** The name under {@code /run/netns}, empty for ephemeral and root handles. */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /**
     * What this namespace stands for, given when it was made ({@link #ephemeral(List, InsideTask)}) and
     * kept by {@link #attach(String)} and {@link #reopen()}: a topology labels each namespace it makes
     * with its host's logical name. {@link #toString()} shows it for a namespace without a name.
     */
    public Optional<String> label() {
        return Optional.ofNullable(label);
    }

    /**
     * The namespace file descriptor, valid until {@link #close()}: for {@code IFLA_NET_NS_FD} and
     * {@code setns}. Do not close it. When another thread may close this handle while the number is
     * still to be used, take a {@link #hold()} instead: a closed fd's number is soon reused, often
     * by another namespace.
     *
     * @throws IllegalStateException if this handle is closed
     */
    public int fd() {
        ensureOpen();
        return fd;
    }

    /**
     * Keeps this namespace's fd open until the returned hold is closed, even if {@link #close()} is
     * called meanwhile: for passing {@link Hold#fd()} to the kernel later or from another thread
     * ({@code IFLA_NET_NS_FD}, {@code setns}). netvirt's own entry points (and netvirt-netlink's and
     * netvirt-tap's) hold the fd this way for every pending use. Thread-safe.
     *
     * @throws IllegalStateException if this handle is closed
     */
    public Hold hold() {
        acquire();
        return new Hold(this);
    }

    /**
     * Runs {@code action} when this handle closes ({@link #close()}, {@link #close(Object)},
     * {@link #closeAll}), before its threads are stopped and its fd is released; {@link #close()} runs
     * them before it ends the handle's processes too, {@link #closeAll} after (it ends the processes of
     * all the handles first, with one grace period; a topology's close also removes its namespaces'
     * names and root devices before): for something made in
     * the namespace through this handle that must be undone when the handle goes (netvirt-faults heals
     * its faults this way, so that closing a topology leaves an adopted namespace as it was found).
     * Actions run once, in the order registered, on the closing thread (with its interrupt held back
     * until they are done: a close is not cancelled; a task an action waits for through another
     * handle's {@link #call} still gets an interrupt that arrives while it runs, as outside a close,
     * so that one waiting for it ends); one that throws does not stop
     * the others nor the close, and close then throws its failure (the others' suppressed in it).
     * Closing the returned registration first withdraws the action. Thread-safe.
     *
     * @throws IllegalStateException if this handle is closed
     */
    public BeforeClose beforeClose(Runnable action) {
        Objects.requireNonNull(action, "action");
        synchronized (this) {
            ensureOpen(); // close sets the flag before it takes the actions: none is registered too late
            if (beforeClose == null) {
                beforeClose = new ArrayList<>(2);
            }
            beforeClose.add(action);
        }
        return new BeforeClose(this, action);
    }

    /** An action registered by {@link #beforeClose}; {@link #close()} withdraws it if it has not run. */
    public static final class BeforeClose implements AutoCloseable {
        private final NetNamespace ns;
        private final Runnable action;

        private BeforeClose(NetNamespace ns, Runnable action) {
            this.ns = ns;
            this.action = action;
        }

        @Override
        public void close() {
            synchronized (ns) {
                if (ns.beforeClose != null) {
                    ns.beforeClose.removeIf(a -> a == action);
                }
            }
        }
    }

    /**
     * Takes the actions registered by {@link #beforeClose} (once closed: no more come) and runs them
     * with the closing thread's interrupts held back ({@link Uninterrupted}: the one pending and those
     * arriving meanwhile), then set again: a close is not cancelled, and an action (a fault's heal,
     * entering the namespace) would otherwise fail at its first wait.
     */
    private List<RuntimeException> runBeforeClose() {
        List<Runnable> actions;
        synchronized (this) {
            actions = beforeClose;
            beforeClose = null;
        }
        if (actions == null) {
            return List.of();
        }
        return Uninterrupted.call(() -> EachOf.releaseAll(actions, Runnable::run));
    }

    /** A reference that keeps a namespace's fd open; see {@link #hold()}. Close it once; closing again does nothing. */
    public static final class Hold implements AutoCloseable {
        private final NetNamespace ns;
        private final AtomicBoolean released = new AtomicBoolean();

        private Hold(NetNamespace ns) {
            this.ns = ns;
        }

        /**
         * The namespace's fd, open until this hold is closed.
         *
         * @throws IllegalStateException once this hold is closed
         */
        public int fd() {
            if (released.get()) {
                throw new IllegalStateException("hold on " + ns + " is released");
            }
            return ns.fd;
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                ns.release();
            }
        }
    }

    /** Takes a reference on the fd (the caller must {@link #release()} it) and returns the fd. */
    int acquire() {
        while (true) {
            int r = refs.get();
            if (r == 0 || closed.get()) {
                throw new IllegalStateException(this + " is closed");
            }
            if (refs.compareAndSet(r, r + 1)) {
                return fd;
            }
        }
    }

    /** The fd, for a caller that holds a reference. */
    int heldFd() {
        return fd;
    }

    void release() {
        if (refs.decrementAndGet() == 0) {
            fdCloser.clean();
        }
    }

    /** The thread ids of the resident threads this handle started, ended or not. */
    Set<Integer> residentTids() {
        return residents.tids();
    }

    /** Made by this JVM (see {@link #made}). */
    boolean made() {
        return made;
    }

    /** The nsfs inode, for a caller that holds a reference. */
    long heldInode() {
        long i = inode;
        if (i == 0) {
            i = Switcher.inode(fd);
            inode = i;
        }
        return i;
    }

    /** The kernel's identity of this namespace, e.g. {@code net:[4026532284]} (inode numbers are reused later). */
    public String id() {
        // readlink shows the path for an fd opened through /run/netns: print the nsfs inode instead
        return "net:[" + inode() + "]";
    }

    /**
     * The nsfs inode number of this namespace: equal inodes at the same moment mean the same
     * namespace (the kernel reuses them after a namespace dies).
     */
    public long inode() {
        ensureOpen();
        long i = inode;
        if (i == 0) {
            try (Hold h = hold()) {
                i = Switcher.inode(h.fd());
            }
            inode = i; // the namespace an open handle holds cannot change, nor its inode
        }
        return i;
    }

    /**
     * The namespace's cookie ({@code SO_NETNS_COOKIE}): 64 bits the kernel assigns when it creates a
     * namespace and never reuses while the machine is up, so unlike {@link #inode()} it identifies a
     * namespace across time. Known from creation for namespaces netvirt makes; for opened ones it is
     * read once, on a switching thread, and cached. A closed handle still answers with the cookie it
     * knows (what it was, for a message or a record), but cannot read one.
     *
     * @throws IllegalStateException if this handle is closed and its cookie was never read
     * @throws NetnsException if the kernel refuses (before Linux 5.14: ENOPROTOOPT)
     */
    public long cookie() {
        long c = cookie;
        if (c == 0) {
            try {
                c = inside(Sys::netnsCookie);
            } catch (SyscallException e) {
                throw NetnsException.from("cannot read the cookie of " + this, e);
            } catch (RuntimeException e) {
                throw e;
            } catch (InterruptedException e) {
                throw interruptedBeforeStart(e);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            cookie = c;
        }
        return c;
    }

    /** The cookie if already known, else 0 (never reads it). */
    long knownCookie() {
        return cookie;
    }

    /** The namespace of the calling thread, as {@link #id()} prints it. */
    public static String currentThreadId() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A new daemon thread, not yet started, that moves to the namespace the JVM started in before it
     * runs {@code task}: a thread is born in its creator's namespace, and the creator may be code
     * inside {@link #call}. netvirt starts all its long-lived threads this way; libraries built on it
     * can too. If the thread cannot leave (setns refused), it logs a warning and runs where it is.
     */
    public static Thread jvmThread(Runnable task, String name) {
        return Switcher.jvmThread(task, name);
    }

    public boolean isOpen() {
        return !closed.get();
    }

    /**
     * Runs {@code task} on a platform thread inside this namespace and returns what it returns or
     * throws, as if the caller ran it: if the caller is interrupted while the task runs, the task's
     * thread is interrupted and {@code call} still returns the task's outcome (with the caller's
     * interrupt status set); if the caller is interrupted before the task started, the task never
     * runs and {@code call} throws {@link InterruptedException}.
     *
     * <p>Threads the task starts are born inside this namespace and stay there for their whole life
     * (threads inherit their creator's namespace), pool threads included: a JDK pool first used
     * here ({@code parallelStream()}, {@code CompletableFuture.*Async}, an executor) keeps threads
     * in this namespace that later run other code. netvirt's own threads go to the JVM's namespace
     * whoever starts them ({@link #jvmThread}); start yours through it, or outside.
     *
     * <p>Virtual threads (JDK 21+) run on the JDK's carrier threads, which netvirt keeps in the JVM's
     * namespace while tasks run inside, but not for ever: a platform thread the task started can
     * still bring a carrier inside, and from then on virtual threads of the whole JVM (the caller's
     * included, also after {@link #close()}) may run here. The JDK starts a carrier from the thread
     * that first needs one and ends idle carriers after 30 s. So before a task runs, netvirt starts
     * the carriers from the JVM's namespace, and keeps them while tasks run inside (and 10 s more); a
     * virtual thread the task starts then runs in the JVM's namespace and opens its sockets through
     * {@link #socketFactory()} or the channel openers. A platform thread the task started that starts
     * or wakes a virtual thread after that, once the JDK has ended idle carriers, brings a new one
     * inside: the JDK {@code HttpServer}'s dispatcher (started by {@code start()} inside) or
     * {@code HttpClient}'s selector manager (built inside) with a virtual-thread executor does, once
     * the JVM's virtual threads have been idle for 30 s; start and build them outside, with sockets
     * from this namespace.
     * Started from a virtual thread, {@code call} blocks it as any wait does; the task runs on a
     * platform thread.
     *
     * <p>Sockets the task makes are this namespace's. What reads {@code /proc/net} or
     * {@code /sys/class/net} is not: those show the JVM's namespace (the process's first thread's, the
     * mount's), so {@link
     * java.net.NetworkInterface} lists the JVM's namespace's devices beside this one's. Ask netlink
     * for this namespace's devices and addresses, or read {@code /proc/thread-self/net}.
     *
     * @throws NetnsException if the thread cannot enter the namespace (EPERM without CAP_SYS_ADMIN)
     * @throws IllegalStateException if this handle is closed
     */
    public <T> T call(Callable<T> task) throws Exception {
        Switcher.withdrawIfInterrupted();
        Residents.Task<T> f = residents.submit(task);
        try {
            return Await.outcome(f::get, new Await.OnInterrupt() {
                @Override
                public boolean withdraw(boolean first) {
                    if (first && f.withdraw()) {
                        return true;
                    }
                    f.interruptRunner();
                    return false;
                }

                @Override
                public void heldBack() {
                    f.interruptRunner(); // the task is the caller's: it sees the interrupt, as outside a region
                }
            });
        } catch (ExecutionException e) {
            throw Handoff.unwrap(e);
        }
    }

    /**
     * Runs {@code task} on a platform thread inside this namespace, as {@link #call} does. A caller
     * interrupted before the task started gets a {@link CancellationException} (the task never runs)
     * with its interrupt status set. Threads the task starts stay in this namespace (see {@link #call}).
     *
     * @throws NetnsException if the thread cannot enter the namespace
     * @throws IllegalStateException if this handle is closed
     */
    public void run(Runnable task) {
        try {
            call(() -> {
                task.run();
                return null;
            });
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            throw interruptedBeforeStart(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts {@code task} on a platform thread inside this namespace. {@link Future#get} throws an
     * {@link ExecutionException} caused by a {@link NetnsException} if the thread cannot enter the
     * namespace; {@code cancel(true)} interrupts the task. Threads the task starts stay in this
     * namespace (see {@link #call}).
     *
     * @throws IllegalStateException if this handle is closed
     */
    public <T> Future<T> submit(Callable<T> task) {
        return residents.submit(task);
    }

    /** What an unchecked entry point throws when its caller was interrupted before the work started. */
    static CancellationException interruptedBeforeStart(InterruptedException e) {
        return Uninterrupted.cancellation("interrupted before the work started", e);
    }

    /**
     * Runs a short task on one of netvirt's switching threads while it is inside this namespace:
     * for creating file descriptors (sockets, {@code /dev/net/tun}) that then belong to this
     * namespace from any thread. The task must not block, start threads or submit to executors:
     * threads inherit the namespace they are born in.
     *
     * <p>The namespace's fd is held until the task is done. A caller interrupted before the task
     * started gets {@link InterruptedException} (the task never runs); once started, the task is
     * finished and the caller's interrupt status is kept.
     *
     * @throws NetnsException if the switching thread cannot enter the namespace (EPERM without CAP_SYS_ADMIN)
     * @throws IllegalStateException if this handle is closed
     */
    public <T> T inside(Callable<T> task) throws Exception {
        return Switcher.inside(this, task);
    }

    /** A task run inside one namespace by {@link #insideEach}. */
    @FunctionalInterface
    public interface InsideTask<T> {
        T call(NetNamespace ns) throws Exception;
    }

    /**
     * Runs {@code task} once inside each of {@code namespaces}, in order, on one switching thread: a
     * {@code setns} per namespace (a few microseconds) instead of a thread hand-off each. For creating
     * fds in many namespaces at once; the same rules as {@link #inside} apply. If a task fails, the
     * results already produced that are {@link AutoCloseable} are closed and the failure is thrown.
     * Every namespace's fd is held until the tasks are done.
     *
     * @throws NetnsException if the switching thread cannot enter one of the namespaces
     * @throws IllegalStateException if one of the handles is closed (before anything ran)
     */
    public static <T> List<T> insideEach(List<NetNamespace> namespaces, InsideTask<T> task) throws Exception {
        if (namespaces.size() == 1) {
            NetNamespace ns = namespaces.get(0);
            return List.of(Switcher.inside(ns, () -> task.call(ns)));
        }
        int[] fds = new int[namespaces.size()];
        int held = 0;
        List<T> results = new ArrayList<>(fds.length);
        try {
            for (; held < fds.length; held++) {
                fds[held] = namespaces.get(held).acquire();
            }
            Switcher.atHome(() -> {
                for (int i = 0; i < fds.length; i++) {
                    Switcher.enter(fds[i], namespaces.get(i));
                    results.add(task.call(namespaces.get(i)));
                }
                return null;
            });
            return results;
        } catch (Exception e) {
            EachOf.closeAfter(e, results);
            throw e;
        } finally {
            for (int i = 0; i < held; i++) {
                namespaces.get(i).release();
            }
        }
    }

    /**
     * Sockets created, bound or connected by this factory belong to this namespace. A host name given
     * to it means what it means inside this namespace: the names a topology published here (its
     * hosts, see {@code Topology.address}) are resolved from netvirt's table, without the JDK's
     * resolver or its JVM-wide cache; any other name by the system's resolver, on the calling thread.
     */
    public SocketFactory socketFactory() {
        return new NamespaceSocketFactory(this);
    }

    /** Server sockets from this factory listen inside this namespace. */
    public ServerSocketFactory serverSocketFactory() {
        return new NamespaceSocketFactory(this).serverSockets();
    }

    /**
     * A socket channel whose fd belongs to this namespace. Its {@code connect} takes an address the
     * caller resolved, on its own thread: a topology's host name resolves there only through
     * {@code Topology.address} (or use {@link #socketFactory()}, which resolves them).
     */
    public SocketChannel openSocketChannel() throws IOException {
        return openChannel(SocketChannel::open);
    }

    public ServerSocketChannel openServerSocketChannel() throws IOException {
        return openChannel(ServerSocketChannel::open);
    }

    public DatagramChannel openDatagramChannel() throws IOException {
        return openChannel(DatagramChannel::open);
    }

    /**
     * Opens a channel inside this namespace. A caller interrupted before the hand-off started gets
     * an {@link InterruptedIOException} with its interrupt status set.
     *
     * @throws NetnsException if the switching thread cannot enter the namespace
     * @throws IllegalStateException if this handle is closed
     */
    <C> C openChannel(Callable<C> opener) throws IOException {
        try {
            return inside(opener);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException io =
                    new InterruptedIOException("interrupted before the socket was created in " + this);
            io.initCause(e);
            throw io;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    /**
     * Starts {@code builder}'s command inside this namespace; the process belongs to this handle.
     *
     * <p>It runs through {@code setpriv --pdeathsig KILL -- nsenter --net=...} (util-linux), forked
     * by netvirt's launcher thread, which lives in the JVM's namespace as long as the JVM: so no JDK
     * thread (the process reaper) is ever born inside a namespace, and the process is killed when the
     * JVM dies, however it dies. This returns once the process is inside the namespace (or has already
     * exited: a failure of {@code nsenter} then shows in its exit code and stderr).
     *
     * <p>It gets the view of the machine that {@code ip netns exec} gives, always (a program run
     * inside a namespace expects it, and {@code ip netns exec} has no way to turn it off either): its
     * own mount namespace (propagation slave), in which {@code /sys} is mounted afresh, so
     * {@code /sys/class/net} lists this namespace's interfaces (the machine's mounts under
     * {@code /sys}, such as {@code /sys/fs/cgroup}, are not there, as with {@code ip netns exec});
     * for a named namespace the files under {@code /etc/netns/NAME/} bind-mounted over those of
     * {@code /etc}; and then this handle's {@link #etcFile} files (a topology sets {@code hosts}).
     * If a mount fails the command is not run and the process exits with code 125, the reason on
     * its stderr prefixed {@code netvirt:}. This needs {@code CAP_SYS_ADMIN} (as does creating a
     * namespace) and, where util-linux {@code mount} runs set-uid root, the real uid 0 (it refuses any
     * other, whatever its capabilities: the process exits with code 125), and {@code unshare},
     * {@code mount}, {@code umount} and {@code sh} on the machine.
     *
     * <p>{@link #close()} (and {@link #delete()}, and closing a topology that owns this handle) ends
     * the process: SIGTERM to it and to its descendants, up to 1 s for them to exit, then SIGKILL to
     * what is left. Its descendants are not killed when the JVM dies (only the started process gets
     * the parent-death signal), nor are processes that already left its tree (a daemon's double fork).
     * A set-uid or file-capability program loses the parent-death signal when it is exec'd. To let a
     * process outlive this handle and the JVM, use {@link #startDetached}.
     *
     * @throws IOException if the command cannot be run, before anything starts, with the message
     *         {@link ProcessBuilder#start()} gives ({@code Cannot run program "NAME": error=2, No such
     *         file or directory}): a path that is not an executable file, or a name found in no
     *         directory of the {@code PATH} of {@code builder}'s environment (the one the command is
     *         looked up in); or if {@code setpriv}/{@code nsenter} cannot be started, or the child did not
     *         enter the namespace within 10 s (it is then killed). A command removed between that check
     *         and its start still starts a process that exits with code 127.
     * @throws IllegalStateException if this handle is closed (also when it is closed while the
     *         process starts: the process is then ended)
     * @throws IllegalArgumentException if the command is empty
     */
    public Process start(ProcessBuilder builder) throws IOException {
        return processes.start(builder, false);
    }

    /**
     * Starts {@code builder}'s command inside this namespace like {@link #start}, but the process does
     * not belong to this handle: {@link #close()} does not end it, it gets no parent-death signal, and
     * it keeps the namespace (and every device inside) alive until it exits, after this handle, its
     * topology and the JVM. The caller owns it; a topology that is detached records it, and the
     * removal of the detached topology ends it ({@code Topology.removeDetached}).
     * {@link #detachedProcesses()} lists those still running. Redirect its output to files or
     * {@link ProcessBuilder.Redirect#DISCARD} if it must outlive the JVM: pipes to a dead JVM break.
     *
     * @throws IOException if the command cannot be run (as for {@link #start}), or {@code nsenter} cannot be
     *         started, or the child did not enter the namespace within 10 s
     * @throws IllegalStateException if this handle is closed (also when it is closed while the
     *         process starts: the process is then ended, as a detached topology records the processes
     *         of its closed handles and would not end it)
     */
    public Process startDetached(ProcessBuilder builder) throws IOException {
        return processes.start(builder, true);
    }

    /**
     * Sets the file {@code /etc/NAME} that processes started from now on through this handle see
     * ({@link #start}, {@link #startDetached}, {@link #exec}), as a file under
     * {@code /etc/netns/NAME/} does for {@code ip netns exec}, but for this handle only and without
     * writing anything to disk: it is bind-mounted over the machine's {@code /etc/NAME} in the
     * process's own mount namespace. A null {@code content} removes it. {@code /etc/NAME} must exist
     * on the machine (a process whose file cannot be mounted, one removed from {@code /etc} since,
     * exits with code 125 without running).
     * For example {@code etcFile("resolv.conf", "nameserver 10.0.0.53
     * ")}. Thread-safe.
     *
     * @throws IllegalArgumentException if {@code name} is not a plain file name (no {@code /}), or
     *         {@code /etc/NAME} does not exist, or the content holds a NUL character or is over 64 KiB
     */
    public void etcFile(String name, String content) {
        processes.etcFile(name, content);
    }

    /** The files set with {@link #etcFile}, by name: a snapshot. */
    public Map<String, String> etcFiles() {
        return processes.etcFiles();
    }

    /**
     * The processes started with {@link #start} or {@link #exec} through this handle that are still
     * running, in start order: a snapshot.
     */
    public List<ProcessHandle> processes() {
        return processes.list();
    }

    /**
     * The processes started with {@link #startDetached} through this handle that are still running,
     * in start order: a snapshot. netvirt does not end them; a detached topology records them (by pid
     * and start time) so that its removal ends them. Once the handle is closed the list gets no more.
     */
    public List<ProcessHandle> detachedProcesses() {
        return processes.detached();
    }

    /**
     * The processes of the machine (those this JVM can see in {@code /proc}) whose network namespace
     * is this one, whoever started them, in pid order: a snapshot. Each keeps the namespace alive.
     * Threads of a process that entered it alone ({@code setns} on one thread, as {@link #call} does)
     * and open namespace fds are not seen.
     *
     * @throws IllegalStateException if this handle is closed
     */
    public List<ProcessHandle> processesInside() {
        String id = id();
        List<ProcessHandle> inside = new ArrayList<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : all) {
                String ns;
                try {
                    ns = Files.readSymbolicLink(proc.resolve("ns/net")).toString();
                } catch (IOException | UncheckedIOException gone) {
                    continue; // exited meanwhile, or not ours to read
                }
                if (ns.equals(id)) {
                    long pid = ProcPids.toJvm(Long.parseLong(proc.getFileName().toString()));
                    if (pid > 0) {
                        ProcessHandle.of(pid).ifPresent(inside::add);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list /proc", e);
        }
        inside.sort((a, b) -> Long.compare(a.pid(), b.pid()));
        return inside;
    }

    /**
     * Ends {@code processes} and their descendants as {@link #close()} ends a handle's (SIGTERM, up
     * to 1 s for all of them, SIGKILL), whoever started them; returns those that were still running.
     * Each handle signals only the process that started when the handle was made
     * ({@link ProcessHandle#of}), never another one that got its pid since.
     */
    public static List<ProcessHandle> endProcesses(List<ProcessHandle> processes) {
        return Processes.terminateHandles(processes);
    }

    /**
     * Ends the processes {@code /proc} shows as the keys of {@code startTimes}, each only while it is
     * the process that started at its value (field 22 of {@code /proc/PID/stat}), as
     * {@link #endProcesses(List)} does; returns the pids of those that were running. A process
     * outside this JVM's pid namespace and those below it is not among them, and is left running:
     * the kernel gives no process a way to signal it (it has no pid there, and pidfd_send_signal
     * refuses a pidfd of it). For pids written where {@code /proc} is read, which numbers processes
     * as the JVM does only if it was mounted for the JVM's pid namespace.
     */
    public static Set<Long> endProcessesByProcPid(Map<Long, String> startTimes) {
        return Processes.terminateRecorded(startTimes, Map.of());
    }

    /**
     * As {@link #endProcessesByProcPid(Map)}, and a pid that is a key of {@code pidfsInodes} ends only
     * if a pidfd of its process has that inode ({@code fstat}), where pidfds have an inode of their own
     * (pidfs, Linux 6.9+, 64-bit): no other process of the boot has it, where a process given the pid in
     * the clock tick the recorded one started has its pid and start time. Where pidfds have no such
     * inode, pid and start time tell the process, as without it.
     */
    public static Set<Long> endProcessesByProcPid(Map<Long, String> startTimes, Map<Long, Long> pidfsInodes) {
        return Processes.terminateRecorded(startTimes, pidfsInodes);
    }

    /**
     * Ends the processes started through these handles now, as {@link #close()} does for one handle
     * (SIGTERM, up to 1 s, SIGKILL; descendants included), with one grace period for all of them.
     * The handles stay open. For closing many namespaces at once (a topology).
     */
    public static void endProcesses(Collection<NetNamespace> namespaces) {
        List<Processes> groups = new ArrayList<>(namespaces.size());
        for (NetNamespace ns : namespaces) {
            groups.add(ns.processes);
        }
        Processes.end(groups);
    }

    /**
     * Runs {@code command} inside this namespace to completion and collects its output. The process
     * belongs to this handle as with {@link #start}. Its output is read by two netvirt threads while
     * the caller waits, so an interrupt is seen at once, at any point (while the output is still
     * being written, too): it ends the process and its descendants as {@link #close()} does, joins
     * those threads, then throws {@link InterruptedException}.
     *
     * @throws IOException if the command cannot be run, as {@link #start} throws it, before anything starts
     * @throws IllegalStateException if this handle is closed (also when it is closed while the
     *         process starts: the process is then ended), as {@link #start} throws it
     * @throws IllegalArgumentException if the command is empty
     */
    public ExecResult exec(String... command) throws IOException, InterruptedException {
        return processes.exec(new ProcessBuilder(command));
    }

    /**
     * Removes this namespace's name (as {@code ip netns del}) and closes this handle. The kernel
     * destroys the namespace once nothing else holds it. A name that no longer holds this namespace
     * (removed and taken again by someone else since, see {@link #nameState(String)}) is left alone;
     * a symbolic link put at the name is removed itself, and what it leads to is not unmounted.
     *
     * @throws IllegalStateException if the namespace is ephemeral, this handle is closed (its
     *     namespace can no longer be compared with the name: {@link #delete(String)} removes a name
     *     whatever it holds), or it is lent out ({@link #lend})
     */
    public void delete() {
        if (name == null) {
            throw new IllegalStateException("only a named namespace can be deleted; close() an ephemeral one");
        }
        if (isLent()) {
            throw new IllegalStateException(this + " is lent out by its owner: it cannot be deleted through it");
        }
        try (Hold h = hold()) { // the name is compared with the namespace while it is still held open
            close();
            RunNetns.removeIf(name, RunNetns.held(h.fd()));
        }
    }

    /**
     * Runs the actions registered by {@link #beforeClose}, ends the processes started through this handle (see {@link #start}), stops the threads inside
     * (a task running there is interrupted, and waited for up to 5 s; but the task calling close(), if
     * it runs here: it goes on inside, see the class description) and releases the fd: at once, or when the last pending use (see {@link #hold()}) is done. Later
     * uses throw {@link IllegalStateException}. If code run by {@link #call}, {@link #run} or
     * {@link #submit} left threads of this process inside (threads it started, JDK pools it used
     * first), which keep the namespace alive, a warning is logged naming them (one look at
     * {@code /proc/self/task}, only when such code ran here; a few more within 150 ms when it finds
     * some, so that a thread already ending is not named). Processes that such code started with a
     * plain {@link ProcessBuilder} are inside too: in a namespace netvirt made, those still running
     * that are this JVM's descendants (not started through {@link #start}, {@link #startDetached} or
     * {@link #exec}) are ended as {@link #start}ed ones are, and named in a warning; other processes
     * found inside are named and left alone (one pass over {@code /proc}, only when such code ran
     * here, and not while another open handle of this JVM that ran code is on the namespace). Throws
     * what a {@link #beforeClose} action threw, once closed.
     */
    @Override
    protected void implClose() {
        List<RuntimeException> errors = new ArrayList<>();
        int shut = shut(errors);
        if (shut == NOT_SHUT) {
            return;
        }
        try {
            if (shut == SHUT_RESIDENTS_RAN) { // the handle's own reference still holds the fd
                LeftInside.endProcesses(List.of(this));
                LeftInside.warn(List.of(this));
            }
        } finally {
            release();
        }
        EachOf.throwFirst(errors);
    }

    private static final int NOT_SHUT = 0;
    private static final int SHUT = 1;
    private static final int SHUT_RESIDENTS_RAN = 2;

    /** The work of close() but the release of the handle's own reference (the caller's to do). */
    private int shut(List<RuntimeException> errors) {
        Residents.Stopping s = beginShut(errors);
        if (s == null) {
            return NOT_SHUT;
        }
        s.await(System.nanoTime() + Residents.STOP_WAIT_NANOS);
        return s.ran() ? SHUT_RESIDENTS_RAN : SHUT;
    }

    /**
     * Marks this handle closed, runs its {@link #beforeClose} actions (their failures added to
     * {@code errors}), ends its processes and interrupts its resident threads; null if it was closed
     * already. The caller waits for the threads.
     */
    private Residents.Stopping beginShut(List<RuntimeException> errors) {
        if (!closed.compareAndSet(false, true)) {
            return null;
        }
        errors.addAll(runBeforeClose());
        processes.close();
        return residents.stop();
    }

    /**
     * Closes each of {@code namespaces} as {@link #close(Object) close(owner)} does, with one look
     * for threads left inside (see {@link #implClose()}) for all of them: for closing many at once
     * (a topology). Their processes are ended with one grace period, and the tasks running inside
     * all of them are interrupted first, then waited for together: up to 5 s in all.
     *
     * @throws IllegalStateException if one of them is lent by another owner (nothing is closed)
     * @throws RuntimeException what a {@link #beforeClose} action threw, once all of them are closed
     */
    public static void closeAll(Collection<NetNamespace> namespaces, Object owner) {
        for (NetNamespace ns : namespaces) {
            ns.checkOwner(owner);
        }
        List<NetNamespace> shut = new ArrayList<>(namespaces.size());
        List<Residents.Stopping> stopping = new ArrayList<>(namespaces.size());
        List<NetNamespace> look = new ArrayList<>();
        List<RuntimeException> errors = new ArrayList<>();
        endProcesses(namespaces); // one grace period for all, not one per namespace
        try {
            for (NetNamespace ns : namespaces) {
                Residents.Stopping s = ns.beginShut(errors);
                if (s != null) {
                    shut.add(ns);
                    stopping.add(s);
                }
            }
            long deadline = System.nanoTime() + Residents.STOP_WAIT_NANOS; // one wait for all
            for (int i = 0; i < shut.size(); i++) {
                stopping.get(i).await(deadline);
                if (stopping.get(i).ran()) {
                    look.add(shut.get(i));
                }
            }
            LeftInside.endProcesses(look);
            LeftInside.warn(look);
        } finally {
            shut.forEach(NetNamespace::release);
        }
        EachOf.throwFirst(errors);
    }

    /**
     * {@code NetNamespace[NAME]} for a named handle, {@code NetNamespace[LABEL, ephemeral]} for an
     * unnamed labelled one (a topology's host: {@code NetNamespace[client, ephemeral]}),
     * {@code NetNamespace[root]} for a handle from {@link #root()}, else {@code NetNamespace[unnamed]};
     * then {@code , closed} once closed.
     */
    @Override
    public String toString() {
        String what = name != null ? name : label != null ? label + ", ephemeral" : root ? "root" : "unnamed";
        return "NetNamespace[" + what + (closed.get() ? ", closed" : "") + SANDBOX.tag() + "]";
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    // ---------------------------------------------------------------- helpers

    private static RuntimeException failure(String what, Exception e) {
        if (e instanceof SyscallException se) {
            return NetnsException.from(what, se);
        }
        if (e instanceof RuntimeException re) {
            return re;
        }
        if (e instanceof InterruptedException ie) {
            return interruptedBeforeStart(ie);
        }
        return new IllegalStateException(what, e);
    }
}
