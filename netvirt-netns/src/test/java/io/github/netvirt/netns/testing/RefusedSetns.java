package io.github.netvirt.netns.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.NetnsException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The child side of the refused-setns tests: runs each entry point a few times (more than a pool has
 * threads), each on its own thread with a 5 s limit, and prints one line per attempt:
 * {@code entry=NAME attempt=I ms=T thrown=CLASS errno=ERRNO message=...}, or {@code ... HANG}.
 */
public final class RefusedSetns {
    public static final int ATTEMPTS = 6;

    private final Map<String, Callable<?>> entries = new LinkedHashMap<>();

    public RefusedSetns entry(String name, Callable<?> attempt) {
        entries.put(name, attempt);
        return this;
    }

    public void runAll() throws InterruptedException {
        for (Map.Entry<String, Callable<?>> e : entries.entrySet()) {
            for (int i = 1; i <= ATTEMPTS; i++) {
                String[] line = {null};
                long t0 = System.nanoTime();
                Thread t = new Thread(() -> line[0] = outcome(e.getValue()), "attempt-" + e.getKey() + "-" + i);
                t.setDaemon(true);
                t.start();
                t.join(TimeUnit.SECONDS.toMillis(5));
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                String prefix = "entry=" + e.getKey() + " attempt=" + i + " ms=" + ms + " ";
                System.out.println(prefix + (t.isAlive() ? "HANG" : line[0]));
            }
        }
        System.out.println("threads " + netvirtThreads());
        System.out.flush();
    }

    private static String outcome(Callable<?> attempt) {
        try {
            return "returned=" + attempt.call();
        } catch (Throwable t) {
            Throwable c = t instanceof ExecutionException && t.getCause() != null ? t.getCause() : t;
            String errno = "";
            try {
                errno = String.valueOf(c.getClass().getMethod("errnoConstant").invoke(c));
            } catch (ReflectiveOperationException ignored) {
                // not a SyscallException
            }
            return "thrown=" + c.getClass().getName() + " errno=" + errno + " message="
                    + String.valueOf(c.getMessage()).replace('\n', ' ');
        }
    }

    /** e.g. {@code netvirt-switch=2 netvirt-ns=0}: live threads by name prefix. */
    /**
     * The parent's side: makes a named namespace, runs {@code child}'s main without CAP_SYS_ADMIN
     * with the namespace's name, asserts that each of its {@code entries} entries failed fast every
     * time with EPERM, the namespace's name and the hint, deletes the namespace and returns the
     * child's output.
     */
    public static String runChildAndCheck(Class<?> child, int timeoutSeconds, int entries) throws Exception {
        String name = TestNames.unique("nvperm");
        try (NetNamespace ns = NetNamespace.create(name)) {
            String out = ChildJvm.runWithoutSysAdmin(child, timeoutSeconds, name);
            System.out.println(out);
            List<String> attempts =
                    out.lines().filter(l -> l.startsWith("entry=")).toList();
            assertThat(attempts).as(out).hasSize(entries * ATTEMPTS);
            assertThat(attempts)
                    .as(out)
                    .allSatisfy(l -> assertThat(l)
                            .contains("thrown=" + NetnsException.class.getName() + " errno=EPERM")
                            .contains(name)
                            .contains("CAP_SYS_ADMIN"));
            return out;
        } finally {
            if (NetNamespace.exists(name)) {
                NetNamespace.delete(name);
            }
        }
    }

    public static String netvirtThreads() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("netvirt-switch", 0);
        counts.put("netvirt-ns", 0);
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            counts.replaceAll((k, v) -> t.getName().startsWith(k + "-") ? v + 1 : v);
        }
        StringBuilder s = new StringBuilder();
        counts.forEach((k, v) -> s.append(k).append('=').append(v).append(' '));
        return s.toString().trim();
    }
}
