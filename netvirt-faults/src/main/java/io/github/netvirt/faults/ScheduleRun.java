package io.github.netvirt.faults;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.Await;
import io.github.netvirt.netns.internal.Require;
import io.github.netvirt.netns.internal.Uninterrupted;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@link FaultSchedule} running against live namespaces, started by {@link FaultSchedule#start}.
 * A thread of its own starts and heals each fault at its offsets and logs what it did and when. A
 * fault the kernel refuses, or whose start or heal throws otherwise (an {@link Error} of a custom
 * fault's function too, such as an {@code AssertionError}), is logged and reported by
 * {@link #close()}; the run goes on.
 * {@link #close()} stops the timeline and heals whatever is still in force, a fault whose heal on the
 * timeline threw included; a fault whose heal threw there too stays in force for the next close.
 * Thread-safe.
 */
public final class ScheduleRun implements AutoCloseable {
    private final FaultSchedule schedule;
    private final Map<String, NetNamespace> hosts;
    private final Map<ScheduledFault, Fault> active = new IdentityHashMap<>();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final Thread thread;
    private final long startNanos = System.nanoTime();
    private boolean closed;

    /** One step of the timeline: a fault starts ({@code heal} false) or heals. */
    private record Step(long atMillis, ScheduledFault fault, boolean heal) {}

    private ScheduleRun(FaultSchedule schedule, Map<String, NetNamespace> hosts) {
        this.schedule = schedule;
        this.hosts = hosts;
        this.thread = NetNamespace.jvmThread(this::run, "netvirt-schedule-" + schedule.seed());
    }

    static ScheduleRun start(FaultSchedule schedule, Map<String, NetNamespace> hosts) {
        ScheduleRun r = new ScheduleRun(schedule, hosts);
        r.thread.start();
        return r;
    }

    public FaultSchedule schedule() {
        return schedule;
    }

    private void run() {
        List<Step> steps = new ArrayList<>();
        for (ScheduledFault f : schedule.faults()) {
            steps.add(new Step(f.start().toMillis(), f, false));
            steps.add(new Step(f.end().toMillis(), f, true));
        }
        // at equal times heals go first: a fault ending when the next one starts is gone by then
        steps.sort(Comparator.comparingLong(Step::atMillis).thenComparing(s -> !s.heal()));
        try {
            for (Step s : steps) {
                long wait = s.atMillis() - elapsedMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                    if (s.heal()) {
                        heal(s.fault());
                    } else {
                        apply(s.fault());
                    }
                }
            }
        } catch (InterruptedException e) {
            // close() stops the timeline
        } finally {
            ended.countDown();
        }
    }

    private void apply(ScheduledFault f) {
        try {
            Fault fault = switch (f.kind()) {
                case CUT -> LinkCut.cut(hosts.get(f.from().get(0)), f.device());
                case CUSTOM ->
                    Objects.requireNonNull(
                            schedule.custom(f.device()).apply(hosts),
                            "the custom fault " + f.device() + " started nothing");
                case PARTITION ->
                    Partition.between(
                            f.from().stream().map(hosts::get).toList(),
                            f.to().stream().map(hosts::get).toList());
                default -> OneWayLoss.drop(hosts.get(f.from().get(0)), hosts.get(f.to().get(0)));
            };
            active.put(f, fault);
            log.add("+" + ScheduledFault.seconds(Duration.ofMillis(elapsedMillis())) + " s  " + f.what());
        } catch (RuntimeException | Error e) {
            errors.add(e);
            log.add("+" + ScheduledFault.seconds(Duration.ofMillis(elapsedMillis())) + " s  " + f.what() + " FAILED: "
                    + e.getMessage());
        }
    }

    private void heal(ScheduledFault f) {
        Fault fault = active.get(f);
        if (fault == null) {
            return;
        }
        try {
            fault.heal();
            active.remove(f); // a heal that threw leaves it in force: close() tries again
            log.add("+" + ScheduledFault.seconds(Duration.ofMillis(elapsedMillis())) + " s  healed " + f.what());
        } catch (RuntimeException | Error e) {
            errors.add(e);
            log.add("+" + ScheduledFault.seconds(Duration.ofMillis(elapsedMillis())) + " s  heal of " + f.what()
                    + " FAILED: " + e.getMessage());
        }
    }

    private long elapsedMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /** Waits until the last fault is healed; true when it was within {@code timeout}. */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        return ended.await(Require.waitNanos(timeout, "timeout"), TimeUnit.NANOSECONDS);
    }

    /** What ran so far, one line per start and heal with its actual offset. */
    public List<String> log() {
        return List.copyOf(log);
    }

    /**
     * The faults in force now: started, and neither healed by the timeline nor gone otherwise ({@link
     * Fault#isActive()} false: e.g. a cut on a host whose namespace a topology's change removed, whose
     * handle's close healed it). A partition with a host removed is still in force between the others.
     */
    public synchronized List<ScheduledFault> active() {
        return schedule.faults().stream()
                .filter(f -> active.containsKey(f) && active.get(f).isActive())
                .toList();
    }

    /**
     * Stops the timeline and heals every fault still in force (the latest first), also on a thread
     * whose interrupt flag is set (held back until the heals are done, then set again). Idempotent,
     * but for a fault whose heal threw: it stays in force ({@link #active()}), and the next close
     * tries its heal again.
     *
     * @throws RuntimeException the first fault that could not be started or healed during the run,
     *     the others suppressed; at a later close, the first heal that failed again
     * @throws Error the same, when what the first failed start or heal threw was an Error
     */
    @Override
    public void close() {
        boolean first;
        int reported;
        synchronized (this) {
            first = !closed;
            closed = true;
            reported = first ? 0 : errors.size();
        }
        if (first) {
            thread.interrupt();
            Await.join(thread);
        }
        Uninterrupted.run(() -> {
            synchronized (this) {
                List<ScheduledFault> left = new ArrayList<>(active.keySet());
                left.sort(Comparator.comparing(ScheduledFault::start).reversed());
                left.forEach(this::heal);
            }
        });
        throwFirst(List.copyOf(errors.subList(reported, errors.size())));
    }

    private static void throwFirst(List<Throwable> errors) {
        if (errors.isEmpty()) {
            return;
        }
        Throwable first = errors.get(0);
        errors.subList(1, errors.size()).forEach(first::addSuppressed);
        if (first instanceof Error e) {
            throw e;
        }
        throw (RuntimeException) first;
    }

    /** The schedule, then what ran so far. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(schedule.toString());
        List<String> l = log();
        s.append("\n  ran:").append(l.isEmpty() ? " nothing yet" : "");
        l.forEach(line -> s.append("\n    ").append(line));
        return s.toString();
    }
}
