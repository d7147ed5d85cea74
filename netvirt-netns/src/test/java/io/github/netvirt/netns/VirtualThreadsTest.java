package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.netvirt.netns.testing.JvmThreads;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Virtual threads (JDK 21+) run on the JDK's carrier threads, which the scheduler starts from
 * whichever thread first needs one and ends after 30 s without work: started from code inside
 * {@link NetNamespace#call}, they would be born inside and run every virtual thread of the JVM
 * there. Runs in a child JVM on JDK 21+ (this JVM's when it is one, else Temurin 25), so that no
 * carrier exists before the first {@code call()}.
 */
@RequiresRoot
class VirtualThreadsTest {
    static final Path JDK21 = Runtime.version().feature() >= 21
            ? Path.of(System.getProperty("java.home"), "bin", "java")
            : Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    /** The namespace a new virtual thread runs in ({@code Thread.startVirtualThread}, by reflection: built for 17). */
    static String virtualThreadNetns() throws Exception {
        CompletableFuture<String> where = new CompletableFuture<>();
        Runnable r = () -> where.complete(NetNamespace.currentThreadId());
        Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null, r);
        return where.get(10, TimeUnit.SECONDS);
    }

    /**
     * Child JVM: args[0] is how long (ms) the task inside waits before it starts its second virtual
     * thread; prints where each virtual thread ran and the threads left outside the JVM's namespace.
     */
    public static void main(String[] args) throws Exception {
        if (args[0].equals("stall")) {
            stall();
            return;
        }
        if (args[0].equals("count")) {
            try (NetNamespace ns = NetNamespace.ephemeral()) {
                ns.run(() -> {});
                Thread.sleep(200); // the warm-up's threads end
                System.out.println("carriers " + carriers());
            }
            System.out.println("done");
            System.exit(0);
        }
        long wait = Long.parseLong(args[0]);
        System.out.println("jvm " + NetNamespace.currentThreadId());
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            System.out.println("ns " + ns.id());
            ns.run(() -> {
                try {
                    System.out.println("started inside " + virtualThreadNetns());
                    Thread.sleep(wait); // the carriers would be ended after 30 s without work
                    System.out.println("started inside later " + virtualThreadNetns());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            System.out.println("started outside " + virtualThreadNetns());
            for (JvmThreads.Task t : JvmThreads.outsideRootNamespace()) {
                if (!t.resident()) {
                    System.out.println("FOREIGN " + t);
                }
            }
        }
        System.out.println("done");
        System.exit(0);
    }

    /** The scheduler's carrier threads alive ({@code ForkJoinPool-N-worker-M}). */
    private static long carriers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().matches("ForkJoinPool-\\d+-worker-\\d+"))
                .count();
    }

    private static volatile boolean stop;
    private static volatile long windowStart = Long.MAX_VALUE;
    private static volatile long windowEnd = Long.MAX_VALUE;

    /**
     * Child JVM with 2 carriers, one held by a CPU-bound virtual thread: prints the worst delay of a
     * probe virtual thread's 1-ms sleeps while the first call() (which starts the carriers at home)
     * runs and for 500 ms after it.
     */
    private static void stall() throws Exception {
        Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null, (Runnable) () -> {
            while (!stop) {
                Thread.onSpinWait();
            }
        });
        long[] worst = new long[1];
        CompletableFuture<Void> probeDone = new CompletableFuture<>();
        Runnable probe = () -> {
            try {
                while (!stop) {
                    long t0 = System.nanoTime();
                    Thread.sleep(1);
                    long t1 = System.nanoTime();
                    if (t1 - windowStart > 0 && t0 - windowEnd < 0) {
                        worst[0] = Math.max(worst[0], t1 - t0);
                    }
                }
                probeDone.complete(null);
            } catch (InterruptedException e) {
                probeDone.completeExceptionally(e);
            }
        };
        Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null, probe);
        Thread.sleep(300);
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            windowStart = System.nanoTime();
            ns.run(() -> {});
            windowEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            Thread.sleep(600);
        }
        stop = true;
        probeDone.get(10, TimeUnit.SECONDS);
        System.out.println("worst " + TimeUnit.NANOSECONDS.toMillis(worst[0]));
        System.out.println("done");
        System.exit(0);
    }

    private static String child(String... args) throws Exception {
        return childWith(2, args);
    }

    /** Runs {@link #main} in a child JVM whose virtual-thread scheduler has {@code parallelism} carriers. */
    private static String childWith(int parallelism, String... args) throws Exception {
        assumeTrue(Files.isExecutable(JDK21), "JDK " + Runtime.version().feature() + " and no JDK 25 at " + JDK21);
        ProcessBuilder pb = new ProcessBuilder(
                        JDK21.toString(),
                        "--enable-native-access=ALL-UNNAMED",
                        "-Djdk.virtualThreadScheduler.parallelism=" + parallelism,
                        "-cp",
                        System.getProperty("java.class.path"),
                        VirtualThreadsTest.class.getName())
                .redirectErrorStream(true);
        pb.command().addAll(List.of(args));
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(out).isTrue();
        System.out.println(out);
        assertThat(out).as(out).contains("done");
        return out;
    }

    private static String line(String out, String prefix) {
        return out.lines()
                .filter(l -> l.startsWith(prefix))
                .map(l -> l.substring(prefix.length()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line " + prefix + "in\n" + out));
    }

    @Test
    void aVirtualThreadStartedInsideCallRunsInTheJvmsNamespaceAndLeavesNoCarrierInside() throws Exception {
        String out = child("0");
        String jvm = line(out, "jvm ");
        assertThat(line(out, "ns ")).isNotEqualTo(jvm);
        assertThat(List.of(line(out, "started inside "), line(out, "started outside ")))
                .as(out)
                .containsOnly(jvm);
        assertThat(out.lines().filter(l -> l.startsWith("FOREIGN "))).as(out).isEmpty();
    }

    /** The scheduler ends idle carriers after 30 s and starts new ones from the thread that needs one. */
    @Test
    void carriersStartedWhileCodeRunsInsideLongAreStillInTheJvmsNamespace() throws Exception {
        String out = child("36000");
        String jvm = line(out, "jvm ");
        assertThat(List.of(
                        line(out, "started inside "),
                        line(out, "started inside later "),
                        line(out, "started outside ")))
                .as(out)
                .containsOnly(jvm);
        assertThat(out.lines().filter(l -> l.startsWith("FOREIGN "))).as(out).isEmpty();
    }

    /**
     * The first call() starts the carriers at home with a virtual thread per carrier: they must not
     * hold the carriers, or every virtual thread of the JVM pauses while one carrier is busy.
     */
    @Test
    void startingTheCarriersAtHomeDoesNotPauseOtherVirtualThreads() throws Exception {
        // before: 200 ms in every run (the warm-up's threads spun on the free carrier until their
        // deadline); the probe shares the CPU with the spinner, so one run may be slow on a loaded host
        List<Long> worst = new ArrayList<>();
        for (int run = 0; run < 3 && (worst.isEmpty() || worst.get(worst.size() - 1) >= 100); run++) {
            worst.add(Long.parseLong(line(child("stall"), "worst ")));
        }
        assertThat(Collections.min(worst))
                .as("worst pause (ms) of each run: %s", worst)
                .isLessThan(100);
    }

    /** The first call() starts every carrier from a thread at home, before its task runs. */
    @Test
    void theFirstCallStartsEveryCarrier() throws Exception {
        assertThat(line(childWith(2, "count"), "carriers ")).isEqualTo("2");
        assertThat(line(childWith(8, "count"), "carriers ")).isEqualTo("8");
    }
}
