package io.github.netvirt.bench.profile;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the time went in a Java Flight Recorder file written by {@code profile-apply.sh} or
 * {@code profile-tap.sh}: {@code java -cp netvirt-bench.jar io.github.netvirt.bench.profile.JfrSummary
 * apply|tap FILE.jfr}.
 *
 * <p>{@code apply}: the main thread's parks (waiting for another thread) during netvirt's apply
 * ({@code CoreTopo.up} on the stack) by call site, its samples by call site, and what netvirt's own
 * threads ({@code netvirt-apply-*}, {@code netvirt-switch-*}) were sampled doing. {@code tap}: what
 * the bench's writer and reader threads ({@code tap-*}) were sampled doing, Java or native (in a
 * system call).
 */
public final class JfrSummary {
    /** Frames of the JDK's waiting and executor machinery: call sites are the first frame after them. */
    private static final List<String> SKIP = List.of(
            "LockSupport",
            "AbstractQueued",
            "ForkJoin",
            "CompletableFuture",
            "FutureTask",
            "ThreadPool",
            "Unsafe",
            "Thread.",
            "ConditionNode",
            "LinkedBlockingQueue");

    private JfrSummary() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2 || !List.of("apply", "tap").contains(args[0])) {
            System.err.println("usage: JfrSummary apply|tap FILE.jfr");
            System.exit(2);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(Path.of(args[1]));
        if (args[0].equals("apply")) {
            apply(events, System.out);
        } else {
            tap(events, System.out);
        }
    }

    static void apply(List<RecordedEvent> events, PrintStream out) {
        Map<String, Double> parkMs = new HashMap<>();
        Map<String, Integer> parks = new HashMap<>();
        Map<String, Integer> main = new HashMap<>();
        Map<String, Integer> own = new HashMap<>();
        for (RecordedEvent e : events) {
            String thread = thread(e);
            if (thread == null) {
                continue;
            }
            List<String> frames = frames(e);
            boolean park = e.getEventType().getName().equals("jdk.ThreadPark");
            if (thread.equals("main") && frames.stream().anyMatch(f -> f.endsWith("CoreTopo.up"))) {
                String key = callSite(frames, 4);
                if (park) {
                    parkMs.merge(key, e.getDuration().toNanos() / 1e6, Double::sum);
                    parks.merge(key, 1, Integer::sum);
                } else {
                    main.merge(key, 1, Integer::sum);
                }
            } else if (!park && (thread.startsWith("netvirt-apply") || thread.startsWith("netvirt-switch"))) {
                own.merge(thread.split("-")[1] + ": " + callSite(frames, 3), 1, Integer::sum);
            }
        }
        out.println("main thread, parked (waiting for another thread), ms summed over all applies, by call site:");
        for (Map.Entry<String, Double> e : top(parkMs, 8)) {
            out.printf("  %9.1f ms in %5d parks  %s%n", e.getValue(), parks.get(e.getKey()), e.getKey());
        }
        out.println("main thread, samples (2 ms apart, running or in native code) during apply, by call site:");
        for (Map.Entry<String, Integer> e : top(main, 10)) {
            out.printf("  %5d  %s%n", e.getValue(), e.getKey());
        }
        out.println("netvirt's own threads, samples (2 ms apart), by call site:");
        for (Map.Entry<String, Integer> e : top(own, 12)) {
            out.printf("  %5d  %s%n", e.getValue(), e.getKey());
        }
    }

    static void tap(List<RecordedEvent> events, PrintStream out) {
        Map<String, Integer> by = new HashMap<>();
        Map<String, Integer> perThread = new HashMap<>();
        for (RecordedEvent e : events) {
            String thread = thread(e);
            if (thread == null
                    || !thread.startsWith("tap-")
                    || e.getEventType().getName().equals("jdk.ThreadPark")) {
                continue;
            }
            String kind = e.getEventType().getName().equals("jdk.NativeMethodSample") ? "native" : "java";
            List<String> f = frames(e);
            perThread.merge(thread, 1, Integer::sum);
            by.merge(
                    String.format(
                            "%-10s|%-6s|%s", thread, kind, String.join(" < ", f.subList(0, Math.min(3, f.size())))),
                    1,
                    Integer::sum);
        }
        out.println("samples (2 ms apart) of the writer and reader threads, all sizes and modes:");
        for (Map.Entry<String, Integer> e : top(by, 12)) {
            String[] k = e.getKey().split("\\|", 3);
            out.printf(
                    "  %s %5d (%4.1f%%) %s %s%n",
                    k[0], e.getValue(), 100.0 * e.getValue() / perThread.get(k[0].trim()), k[1], k[2]);
        }
    }

    private static String thread(RecordedEvent e) {
        for (String field : new String[] {"sampledThread", "eventThread"}) {
            if (e.hasField(field)) {
                RecordedThread t = e.getThread(field);
                if (t != null) {
                    return t.getJavaName();
                }
            }
        }
        return null;
    }

    /** {@code Class.method} of each frame, innermost first. */
    private static List<String> frames(RecordedEvent e) {
        if (e.getStackTrace() == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (RecordedFrame f : e.getStackTrace().getFrames()) {
            String type = f.getMethod().getType().getName();
            out.add(type.substring(type.lastIndexOf('.') + 1) + "."
                    + f.getMethod().getName());
        }
        return out;
    }

    private static String callSite(List<String> frames, int depth) {
        return frames.stream()
                .filter(f -> SKIP.stream().noneMatch(f::startsWith))
                .limit(depth)
                .collect(Collectors.joining(" < "));
    }

    private static <V extends Comparable<V>> List<Map.Entry<String, V>> top(Map<String, V> m, int n) {
        return m.entrySet().stream()
                .sorted(Map.Entry.<String, V>comparingByValue().reversed())
                .limit(n)
                .collect(Collectors.toCollection(ArrayList::new));
    }
}
