package io.github.netvirt.core;

import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Automatic crash cleanup, like Testcontainers' Ryuk: once per JVM, on the first apply or when the
 * JUnit extension starts, a background thread runs {@link Cleaner#cleanup} over the records of dead
 * owners, with the same proofs of identity; what it removes or leaves alone is logged through
 * {@code System.Logger}. The system property {@value #PROPERTY}{@code =false} turns it off; any value
 * but {@code true} or {@code false} (in any case) is refused. An apply that wants a name that is
 * taken while it runs waits for it first ({@link #settle}): a program run again after a crash takes
 * the names its dead run held.
 */
final class Reaper {
    static final String PROPERTY = "netvirt.reaper";
    /** How long an apply waits for the reaper when a name it wants is taken. */
    static final Duration SETTLE = Duration.ofSeconds(30);

    private static final System.Logger LOG = System.getLogger(Reaper.class.getName());
    private static CompletableFuture<CleanupReport> started;

    private Reaper() {}

    /**
     * Starts the background cleanup unless it ran already in this JVM or is turned off; returns
     * immediately. The future completes with what it did (an empty report when turned off).
     *
     * @throws IllegalArgumentException if {@value #PROPERTY} is set to neither true nor false, or
     *     {@value RunDir#PROPERTY} to an empty value (the reaper is not started then)
     */
    static synchronized Future<CleanupReport> startOnce() {
        // read at every call: a value set after the first apply is refused as one set before it
        boolean on = on(System.getProperty(PROPERTY, "true"));
        if (started != null) {
            return started.copy(); // callers cannot complete the shared future
        }
        RunDir dir = on ? RunDir.current() : null;
        started = new CompletableFuture<>();
        if (!on) {
            started.complete(new CleanupReport(List.of(), List.of()));
            return started.copy();
        }
        CompletableFuture<CleanupReport> result = started;
        // the caller may be inside a namespace: jvmThread moves the thread to the JVM's before it runs
        Thread t = NetNamespace.jvmThread(
                () -> {
                    try {
                        CleanupReport r = Cleaner.cleanup(dir);
                        if (!r.isEmpty()) {
                            // the records of running topologies alone are no news
                            LOG.log(
                                    r.removed().isEmpty() ? System.Logger.Level.DEBUG : System.Logger.Level.INFO,
                                    "netvirt reaper ({0}): removed {1}; left alone {2}",
                                    dir,
                                    r.removed(),
                                    r.leftAlone());
                        }
                        result.complete(r);
                    } catch (Throwable e) {
                        LOG.log(System.Logger.Level.WARNING, "netvirt reaper (" + dir + ") failed", e);
                        result.completeExceptionally(e);
                    }
                },
                "netvirt-reaper");
        t.start();
        return result.copy();
    }

    /** Whether this JVM's reaper has started and not finished. */
    static synchronized boolean running() {
        return started != null && !started.isDone();
    }

    /**
     * Waits, up to {@link #SETTLE}, for this JVM's reaper to finish when a name {@code plan} is about
     * to take (a named namespace, a device in the root namespace) is taken meanwhile: it may be a
     * dead owner's that the reaper is removing, or is about to. Returns at once when the reaper is
     * done (or off) or every name is free, the common case; the reaper only frees names. A name
     * still taken afterwards fails its step with EEXIST, as before.
     *
     * @throws CancellationException if the caller is interrupted while it waits
     */
    static void settle(Plan plan) {
        CompletableFuture<CleanupReport> reaper;
        synchronized (Reaper.class) {
            reaper = started;
        }
        if (reaper == null || reaper.isDone() || !anyTaken(plan)) {
            return;
        }
        try {
            reaper.get(SETTLE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // failed (logged) or still at work: a name it did not free fails its step
        } catch (InterruptedException e) {
            throw (CancellationException)
                    new CancellationException("interrupted while waiting for the netvirt reaper").initCause(e);
        }
    }

    /** Whether a name {@code plan} is about to take is taken now. */
    private static boolean anyTaken(Plan plan) {
        List<String> rootNames = new ArrayList<>();
        for (Step s : plan.steps()) {
            if (s.op() instanceof NsAddStep add
                    && add.namespace().kernelName() != null
                    && Files.exists(NetNamespace.nameFile(add.namespace().kernelName()), LinkOption.NOFOLLOW_LINKS)) {
                return true;
            }
            String root = RootDevices.createdBy(s);
            if (root != null) {
                rootNames.add(root);
            }
        }
        if (rootNames.isEmpty()) {
            return false;
        }
        try (NetNamespace root = NetNamespace.root();
                NetlinkHandle h = NetlinkHandle.open(root)) {
            for (String name : rootNames) {
                if (h.linkGet(name).isPresent()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The property's value read: only {@code true} and {@code false}, where Boolean.parseBoolean takes anything else as false. */
    private static boolean on(String value) {
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("system property " + PROPERTY + "=\"" + value
                + "\": expected true or false (false turns the reaper off)");
    }
}
