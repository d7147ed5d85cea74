package io.github.netvirt.core;

import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.sys.SyscallException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The names that an apply or a change running in this JVM is about to take (named namespaces,
 * devices in the root namespace), held from its start until it returns, applied or undone. Another
 * apply of this JVM that wants one of them meanwhile fails at once, before it makes anything,
 * naming the holder. Without this both raced in the kernel name by name: each could take some of
 * the names and fail at one the other took, so both failed, and whose the name was looked like a
 * dead owner's (the other had undone it, or not yet mounted its namespace on it, by the time the
 * loser looked). Between JVMs, and for a topology once applied, the kernel still decides (EEXIST)
 * and the crash records tell whose a name is ({@link NameHolder}).
 */
final class NameClaims {
    /** What each name is held by; guarded by the class. */
    private static final Map<String, Claim> HELD = new HashMap<>();

    private NameClaims() {}

    /** The claim of an apply or change that takes no name: nothing to hold or let go. */
    private static final Claim NONE = new Claim(List.of(), null, null);

    /** The names of one apply or change, until {@link #close()}. */
    static final class Claim implements AutoCloseable {
        private final List<String> names;
        private final Thread thread;
        private final String doing;

        private Claim(List<String> names, Thread thread, String doing) {
            this.names = names;
            this.thread = thread;
            this.doing = doing;
        }

        /** Who holds the names, for another apply's message. */
        private String holder() {
            return "a netvirt topology of this process, which thread \"" + thread.getName() + "\" is " + doing;
        }

        /** Lets the names go: the kernel holds what was made of them, or nothing. */
        @Override
        public void close() {
            if (names.isEmpty()) {
                return;
            }
            synchronized (NameClaims.class) {
                for (String n : names) {
                    HELD.remove(n, this);
                }
            }
        }
    }

    /**
     * Claims every name {@code plan} takes, all or none; {@code doing} says what the calling thread
     * does with them ("applying", "changing"), for another apply's message.
     *
     * @throws ApplyException EEXIST at the first step of {@code plan} that wants a name another
     *     apply or change of this JVM holds; nothing was claimed or made
     */
    static Claim claim(Plan plan, String doing) {
        List<String> names = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        for (Step s : plan.steps()) {
            String n = nameOf(s);
            if (n != null) {
                names.add(n);
                steps.add(s);
            }
        }
        if (names.isEmpty()) {
            return NONE;
        }
        Claim c = new Claim(List.copyOf(names), Thread.currentThread(), doing);
        synchronized (NameClaims.class) {
            for (int i = 0; i < names.size(); i++) {
                Claim other = HELD.get(names.get(i));
                if (other != null) {
                    throw new ApplyException(
                            steps.get(i),
                            SyscallException.of("claim the name of " + names.get(i), Errno.EEXIST.code()),
                            names.get(i) + " is held by " + other.holder());
                }
            }
            for (String n : names) {
                HELD.put(n, c);
            }
        }
        return c;
    }

    /**
     * The name step {@code s} takes, as messages name it ("netns NAME", "device NAME in the root
     * namespace"), or null when it takes none that netvirt records.
     */
    static String nameOf(Step s) {
        if (s.op() instanceof NsAddStep add && add.namespace().kernelName() != null) {
            return "netns " + add.namespace().kernelName();
        }
        String dev = RootDevices.createdBy(s);
        return dev == null ? null : "device " + dev + " in the root namespace";
    }
}
